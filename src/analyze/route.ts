// The route and gateway hops of `kubectl svc-trace httproute/NAME` (and grpcroute/NAME): parentRefs
// and what their controllers report, the parent Gateways (listeners, addresses, conditions), and the
// backendRefs with their Services and ReferenceGrants — with the findings route-* and
// gateway-not-programmed (README, Findings). Pure.

import { gatewayGroup, type BackendRef, type Condition, type Gateway, type ParentReference, type ReferenceGrant, type Route, type RouteRule } from '../kube/entries.js';
import type { Service } from '../kube/types.js';
import { lookupItems, type RouteEntry } from '../snapshot.js';
import { raise } from './catalogue.js';
import { findBackends, type BackendReference } from './entry-backends.js';
import type { EntryRuleRow, GatewayHop, GatewayRow, ParentRow, RouteHop } from './entry-model.js';
import type { Finding, ObjectRef } from './model.js';
import { hostnamesIntersect } from './hostnames.js';

type RouteKind = RouteEntry['kind'];

export const routeRef = (kind: RouteKind, route: Route): ObjectRef => ({ kind, name: route.metadata.name, namespace: route.metadata.namespace });
const routeName = (kind: RouteKind, route: Route) => `${kind.toLowerCase()}/${route.metadata.name}`;
const conditionOf = (conditions: Condition[] | undefined, type: string) => conditions?.find((c) => c.type === type);

const isGatewayParent = (parent: ParentReference) => (parent.group ?? gatewayGroup) === gatewayGroup && (parent.kind ?? 'Gateway') === 'Gateway';
export const isServiceBackend = (ref: BackendRef) => (ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service';

function sameParent(a: ParentReference, b: ParentReference, routeNamespace: string): boolean {
  return (
    a.name === b.name &&
    (a.namespace ?? routeNamespace) === (b.namespace ?? routeNamespace) &&
    (a.kind ?? 'Gateway') === (b.kind ?? 'Gateway') &&
    (a.sectionName ?? '') === (b.sectionName ?? '') &&
    (a.port ?? 0) === (b.port ?? 0)
  );
}

// What a rule matches, in words: `/api (PathPrefix)`, `GET /`, `shop.Cart/Get`.
function describeMatches(kind: RouteKind, rule: RouteRule): string {
  const matches = rule.matches ?? [];
  if (matches.length === 0) return kind === 'HTTPRoute' ? '/ (PathPrefix)' : 'any method';
  return matches
    .map((match) => {
      if (kind === 'GRPCRoute') {
        const method = match.method as { service?: string; method?: string } | undefined;
        return method ? `${method.service ?? '*'}/${method.method ?? '*'}` : 'any method';
      }
      const path = match.path as { type?: string; value?: string } | undefined;
      const verb = typeof match.method === 'string' ? `${match.method} ` : '';
      const headers = Array.isArray(match.headers) && match.headers.length > 0 ? ` + ${match.headers.length} header match(es)` : '';
      return `${verb}${path?.value ?? '/'} (${path?.type ?? 'PathPrefix'})${headers}`;
    })
    .join(', ');
}

// The route's rules as rows: hostnames, what each rule matches, where it sends.
function routeRules(kind: RouteKind, route: Route): EntryRuleRow[] {
  const namespace = route.metadata.namespace ?? 'default';
  const host = (route.spec.hostnames ?? []).join(',') || '*';
  return (route.spec.rules ?? []).map((rule) => ({
    host,
    match: describeMatches(kind, rule),
    backends: (rule.backendRefs ?? []).map((ref) =>
      isServiceBackend(ref) ? `${ref.namespace ?? namespace}/${ref.name}:${ref.port ?? '<none>'}` : `${ref.kind}/${ref.name} (not followed)`,
    ),
  }));
}

// Every backendRef of the route, with the rule it belongs to and the namespace it points into.
export function routeBackendRefs(kind: RouteKind, route: Route): Array<{ rule: EntryRuleRow; ref: BackendRef; namespace: string }> {
  const namespace = route.metadata.namespace ?? 'default';
  const rows = routeRules(kind, route);
  return (route.spec.rules ?? []).flatMap((rule, index) => (rule.backendRefs ?? []).map((ref) => ({ rule: rows[index]!, ref, namespace: ref.namespace ?? namespace })));
}

// Whether a ReferenceGrant in the Service's namespace lets this route kind of routeNamespace refer to it.
export function referenceGranted(grants: ReferenceGrant[], kind: RouteKind, routeNamespace: string, namespace: string, service: string): boolean {
  return grants.some(
    (grant) =>
      grant.metadata.namespace === namespace &&
      grant.spec.from.some((from) => from.group === gatewayGroup && from.kind === kind && from.namespace === routeNamespace) &&
      grant.spec.to.some((to) => (to.group === '' || to.group === 'core') && to.kind === 'Service' && (!to.name || to.name === service)),
  );
}

function parentRows(entry: RouteEntry): ParentRow[] {
  const { route } = entry;
  const namespace = route.metadata.namespace ?? 'default';
  return (route.spec.parentRefs ?? []).map((parent) => {
    const status = route.status?.parents?.find((p) => sameParent(p.parentRef, parent, namespace));
    const accepted = conditionOf(status?.conditions, 'Accepted');
    const resolved = conditionOf(status?.conditions, 'ResolvedRefs');
    const reason = accepted?.status !== 'True' ? accepted?.reason : resolved?.status === 'False' ? resolved.reason : undefined;
    return {
      kind: parent.kind ?? 'Gateway',
      namespace: parent.namespace ?? namespace,
      name: parent.name,
      ...(parent.sectionName ? { sectionName: parent.sectionName } : {}),
      ...(parent.port ? { port: parent.port } : {}),
      accepted: accepted?.status ?? null,
      resolvedRefs: resolved?.status ?? null,
      ...(reason ? { reason } : {}),
      ...(status?.controllerName ? { controllerName: status.controllerName } : {}),
    };
  });
}

function statusFindings(entry: RouteEntry): Finding[] {
  const { route, kind } = entry;
  const name = routeName(kind, route);
  const ref = [routeRef(kind, route)];
  const statuses = route.status?.parents ?? [];
  const findings: Finding[] = [];
  const parentName = (p: ParentReference) => `${p.kind ?? 'Gateway'} ${p.namespace ?? route.metadata.namespace}/${p.name}${p.sectionName ? ` (listener ${p.sectionName})` : ''}`;
  if (!statuses.some((s) => conditionOf(s.conditions, 'Accepted')?.status === 'True')) {
    const refused = statuses.find((s) => conditionOf(s.conditions, 'Accepted'));
    const condition = conditionOf(refused?.conditions, 'Accepted');
    findings.push(
      raise(
        'route-not-accepted',
        { route: name, parent: refused ? parentName(refused.parentRef) : null, reason: condition?.reason ?? null, message: condition?.message ?? null },
        ref,
      ),
    );
  }
  for (const status of statuses) {
    const resolved = conditionOf(status.conditions, 'ResolvedRefs');
    if (resolved?.status === 'False') {
      findings.push(raise('route-refs-unresolved', { route: name, parent: parentName(status.parentRef), reason: resolved.reason ?? 'unknown', message: resolved.message ?? null }, ref));
    }
  }
  return findings;
}

function gatewayRow(parent: ParentRow, gateway: Gateway | undefined): GatewayRow {
  if (!gateway) return { namespace: parent.namespace, name: parent.name, found: false, programmed: null, accepted: null, addresses: [], listeners: [] };
  return {
    namespace: parent.namespace,
    name: parent.name,
    found: true,
    className: gateway.spec.gatewayClassName,
    programmed: conditionOf(gateway.status?.conditions, 'Programmed')?.status ?? null,
    accepted: conditionOf(gateway.status?.conditions, 'Accepted')?.status ?? null,
    addresses: (gateway.status?.addresses ?? []).map((a) => a.value),
    listeners: (gateway.spec.listeners ?? []).map((l) => ({ name: l.name, protocol: l.protocol, port: l.port, ...(l.hostname ? { hostname: l.hostname } : {}) })),
  };
}

function gatewayProblems(gateway: Gateway): string[] {
  const problems: string[] = [];
  const said = (c: Condition | undefined) => (c?.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : c ? '' : ' (no controller has reported on it)');
  const programmed = conditionOf(gateway.status?.conditions, 'Programmed');
  const accepted = conditionOf(gateway.status?.conditions, 'Accepted');
  if (accepted?.status !== 'True') problems.push(`is not Accepted${said(accepted)}`);
  if (programmed?.status !== 'True') problems.push(`is not Programmed${said(programmed)}`);
  if ((gateway.status?.addresses ?? []).length === 0) problems.push('has no address');
  return problems;
}

export function analyzeRoute(
  entry: RouteEntry,
  services: Record<string, Service | undefined>,
  source: 'cluster' | 'manifests',
): { hops: [Omit<RouteHop, 'status'>, Omit<GatewayHop, 'status'>]; backends: BackendReference[]; findings: Finding[] } {
  const { route, kind } = entry;
  const namespace = route.metadata.namespace ?? 'default';
  const name = routeName(kind, route);
  const ref = [routeRef(kind, route)];
  const findings: Finding[] = [];
  const routeNotes: string[] = [];
  const gatewayNotes: string[] = [];
  const parents = parentRows(entry);
  if (source === 'cluster') findings.push(...statusFindings(entry));
  else routeNotes.push('offline: whether a controller accepted the route is known only in a cluster');
  if (parents.length === 0) routeNotes.push('no parentRefs: the route is attached to no Gateway');

  // The parent Gateways, their conditions and the hostnames of the listeners the route attaches to.
  const gateways = lookupItems(entry.gateways);
  if ('skipped' in entry.gateways) gatewayNotes.push(entry.gateways.skipped);
  const rows: GatewayRow[] = [];
  (route.spec.parentRefs ?? []).forEach((parent, index) => {
    if (!isGatewayParent(parent)) {
      routeNotes.push(`parent ${parent.kind}/${parent.name} is not a Gateway: not followed`);
      return;
    }
    const row = parents[index]!;
    const gateway = gateways.find((g) => g.metadata.namespace === row.namespace && g.metadata.name === row.name);
    if (!rows.some((r) => r.namespace === row.namespace && r.name === row.name)) rows.push(gatewayRow(row, gateway));
    if (!gateway) {
      if (!('skipped' in entry.gateways)) gatewayNotes.push(`Gateway ${row.namespace}/${row.name} ${source === 'cluster' ? 'does not exist' : 'is not in the manifests'}`);
      return;
    }
    const gatewayName = `${row.namespace}/${row.name}`;
    if (source === 'cluster' && !findings.some((f) => f.id === 'gateway-not-programmed' && f.objects[0]?.name === row.name && f.objects[0]?.namespace === row.namespace)) {
      const problems = gatewayProblems(gateway);
      if (problems.length > 0) {
        findings.push(raise('gateway-not-programmed', { gateway: gatewayName, problems, className: gateway.spec.gatewayClassName ?? null }, [{ kind: 'Gateway', name: row.name, namespace: row.namespace }, ...ref]));
      }
    }
    const listeners = (gateway.spec.listeners ?? []).filter(
      (l) => (parent.sectionName === undefined || l.name === parent.sectionName) && (parent.port === undefined || l.port === parent.port) && /^HTTPS?$/.test(l.protocol),
    );
    const hostnames = route.spec.hostnames ?? [];
    const mismatch =
      hostnames.length > 0 &&
      listeners.length > 0 &&
      listeners.every((l) => l.hostname) &&
      !listeners.some((l) => hostnames.some((h) => hostnamesIntersect(l.hostname, h)));
    if (mismatch) {
      findings.push(raise('route-hostname-mismatch', { route: name, hostnames, gateway: gatewayName, listenerHostnames: listeners.map((l) => l.hostname!) }, [...ref, { kind: 'Gateway', name: row.name, namespace: row.namespace }]));
    }
  });
  if (source === 'manifests') gatewayNotes.push('offline: Gateway conditions and addresses are known only in a cluster');

  // The backendRefs: Services that exist, have the port, and may be referred to from here.
  const refs = routeBackendRefs(kind, route);
  if (refs.some((r) => !isServiceBackend(r.ref))) routeNotes.push('backendRefs that are not Services are not followed');
  const serviceRefs = refs.filter((r) => isServiceBackend(r.ref));
  const backends = findBackends(
    serviceRefs.map((r) => ({ namespace: r.namespace, name: r.ref.name, port: r.ref.port === undefined ? '' : String(r.ref.port), from: `${r.rule.host} ${r.rule.match}` })),
    services,
  );
  const grantsSkipped = 'skipped' in entry.referenceGrants ? entry.referenceGrants.skipped : undefined;
  for (const backend of backends) {
    const service = `${backend.namespace}/${backend.name}`;
    const serviceObject = { kind: 'Service', name: backend.name, namespace: backend.namespace };
    if (backend.state === 'missing') {
      findings.push(raise('route-backend-missing', { route: name, service: backend.name, namespace: backend.namespace }, [serviceObject, ...ref]));
      continue;
    }
    if (backend.namespace !== namespace) {
      if (grantsSkipped) {
        if (!routeNotes.includes(grantsSkipped)) routeNotes.push(grantsSkipped);
      } else if (!referenceGranted(lookupItems(entry.referenceGrants), kind, namespace, backend.namespace, backend.name)) {
        backend.state = 'not-permitted';
        findings.push(raise('route-reference-grant-missing', { route: name, kind, routeNamespace: namespace, service: backend.name, namespace: backend.namespace }, [serviceObject, ...ref]));
        continue;
      }
    }
    if (backend.state === 'port-missing') {
      findings.push(raise('route-backend-port-missing', { route: name, service, port: backend.port || '<none>', ports: backend.servicePorts }, [serviceObject, ...ref]));
    }
  }

  const hostnames = route.spec.hostnames ?? [];
  const accepted = parents.filter((p) => p.accepted === 'True').length;
  return {
    hops: [
      {
        kind: 'route',
        summary: `${hostnames.join(', ') || '*'} via ${parents.map((p) => `${p.namespace}/${p.name}${p.sectionName ? `:${p.sectionName}` : ''}`).join(', ') || '<none>'}${source === 'cluster' ? `, accepted by ${accepted}/${parents.length}` : ''}`,
        notes: routeNotes,
        hostnames,
        parents,
        rules: routeRules(kind, route),
      },
      {
        kind: 'gateway',
        summary: rows.length > 0 ? rows.map((r) => `${r.namespace}/${r.name}${r.found ? ` (${r.className}) ${r.addresses.join(', ') || (source === 'cluster' ? '<pending>' : '<unassigned>')}` : ' <not found>'}`).join('; ') : '<none>',
        notes: gatewayNotes,
        gateways: rows,
      },
    ],
    backends,
    findings,
  };
}
