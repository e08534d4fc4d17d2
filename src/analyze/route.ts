// The route hop of `kubectl svc-trace httproute/NAME` (and grpcroute/NAME): parentRefs and what their
// controllers report, whether the listeners take the route's hostnames, and the backendRefs with their
// Services and ReferenceGrants — with the findings route-* (README, Findings); then the gateway hop
// (gateway.ts). Pure.

import { gatewayGroup, type BackendRef, type ParentReference, type ReferenceGrant, type Route, type RouteRule } from '../kube/entries.js';
import type { Service } from '../kube/types.js';
import { lookupItems, type RouteEntry } from '../snapshot.js';
import { raise } from './catalogue.js';
import { findBackends } from './entry-backends.js';
import type { EntryRuleRow, GatewayHop, ParentRow, RouteHop } from './entry-model.js';
import { conditionOf, gatewayHop, isGatewayParent, parentGateway } from './gateway.js';
import { hopStatus, type EntryHopsResult } from './hop.js';
import type { Finding, ObjectRef } from './model.js';
import { hostnamesIntersect } from './hostnames.js';
import { refOf } from './refs.js';

type RouteKind = RouteEntry['kind'];

export const routeRef = (kind: RouteKind, route: Route): ObjectRef => refOf(kind, route);
const routeName = (kind: RouteKind, route: Route) => `${kind.toLowerCase()}/${route.metadata.name}`;
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

export function routeHops(entry: RouteEntry, services: Record<string, Service | undefined>, source: 'cluster' | 'manifests'): EntryHopsResult<[RouteHop, GatewayHop]> {
  const { route, kind } = entry;
  const namespace = route.metadata.namespace ?? 'default';
  const name = routeName(kind, route);
  const ref = [routeRef(kind, route)];
  const findings: Finding[] = [];
  const routeNotes: string[] = [];
  const parents = parentRows(entry);
  if (source === 'cluster') findings.push(...statusFindings(entry));
  else routeNotes.push('offline: whether a controller accepted the route is known only in a cluster');
  if (parents.length === 0) routeNotes.push('no parentRefs: the route is attached to no Gateway');

  // The Gateways the route attaches to, and whether a listener it attaches to takes its hostnames.
  const gateway = gatewayHop(entry, parents, source);
  findings.push(...gateway.findings);
  (route.spec.parentRefs ?? []).forEach((parent, index) => {
    if (!isGatewayParent(parent)) {
      routeNotes.push(`parent ${parent.kind}/${parent.name} is not a Gateway: not followed`);
      return;
    }
    const row = parents[index]!;
    const found = parentGateway(entry, row);
    if (!found) return;
    const listeners = (found.spec.listeners ?? []).filter(
      (l) => (parent.sectionName === undefined || l.name === parent.sectionName) && (parent.port === undefined || l.port === parent.port) && /^HTTPS?$/.test(l.protocol),
    );
    const hostnames = route.spec.hostnames ?? [];
    const mismatch =
      hostnames.length > 0 &&
      listeners.length > 0 &&
      listeners.every((l) => l.hostname) &&
      !listeners.some((l) => hostnames.some((h) => hostnamesIntersect(l.hostname, h)));
    if (mismatch) {
      const gatewayName = `${row.namespace}/${row.name}`;
      findings.push(raise('route-hostname-mismatch', { route: name, hostnames, gateway: gatewayName, listenerHostnames: listeners.map((l) => l.hostname!) }, [...ref, { kind: 'Gateway', name: row.name, namespace: row.namespace }]));
    }
  });

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
  const hop: RouteHop = {
    kind: 'route',
    summary: `${hostnames.join(', ') || '*'} via ${parents.map((p) => `${p.namespace}/${p.name}${p.sectionName ? `:${p.sectionName}` : ''}`).join(', ') || '<none>'}${source === 'cluster' ? `, accepted by ${accepted}/${parents.length}` : ''}`,
    notes: routeNotes,
    hostnames,
    parents,
    rules: routeRules(kind, route),
    status: hopStatus('route', findings),
  };
  return { hops: [hop, gateway.hop], backends, findings };
}
