// The gateway hop of a route trace: the parent Gateways the route names — class, listeners,
// addresses, and the conditions their controller reported (gateway-not-programmed). Pure.

import { gatewayGroup, type Condition, type Gateway, type ParentReference } from '../kube/entries.js';
import { lookupItems, type RouteEntry } from '../snapshot.js';
import { raise } from './catalogue.js';
import type { GatewayHop, GatewayRow, ParentRow } from './entry-model.js';
import { hopStatus, type HopResult } from './hop.js';
import type { Finding } from './model.js';
import { refOf } from './refs.js';

export const conditionOf = (conditions: Condition[] | undefined, type: string) => conditions?.find((c) => c.type === type);

export const isGatewayParent = (parent: ParentReference) => (parent.group ?? gatewayGroup) === gatewayGroup && (parent.kind ?? 'Gateway') === 'Gateway';

// The Gateway a parent row names, when the snapshot has it.
export function parentGateway(entry: RouteEntry, row: ParentRow): Gateway | undefined {
  return lookupItems(entry.gateways).find((g) => g.metadata.namespace === row.namespace && g.metadata.name === row.name);
}

// `parents` are the route hop's rows, one per parentRef.
export function gatewayHop(entry: RouteEntry, parents: ParentRow[], source: 'cluster' | 'manifests'): HopResult<GatewayHop> {
  const { route, kind } = entry;
  const findings: Finding[] = [];
  const notes: string[] = [];
  if ('skipped' in entry.gateways) notes.push(entry.gateways.skipped);
  const rows: GatewayRow[] = [];
  (route.spec.parentRefs ?? []).forEach((parent, index) => {
    if (!isGatewayParent(parent)) return;
    const row = parents[index]!;
    const gateway = parentGateway(entry, row);
    if (!rows.some((r) => r.namespace === row.namespace && r.name === row.name)) rows.push(gatewayRow(row, gateway));
    if (!gateway) {
      if (!('skipped' in entry.gateways)) notes.push(`Gateway ${row.namespace}/${row.name} ${source === 'cluster' ? 'does not exist' : 'is not in the manifests'}`);
      return;
    }
    if (source === 'cluster' && !findings.some((f) => f.objects[0]?.name === row.name && f.objects[0]?.namespace === row.namespace)) {
      const problems = gatewayProblems(gateway);
      if (problems.length > 0) {
        const objects = [{ kind: 'Gateway', name: row.name, namespace: row.namespace }, refOf(kind, route)];
        findings.push(raise('gateway-not-programmed', { gateway: `${row.namespace}/${row.name}`, problems, className: gateway.spec.gatewayClassName ?? null }, objects));
      }
    }
  });
  if (source === 'manifests') notes.push('offline: Gateway conditions and addresses are known only in a cluster');
  const address = (r: GatewayRow) => r.addresses.join(', ') || (source === 'cluster' ? '<pending>' : '<unassigned>');
  const hop: GatewayHop = {
    kind: 'gateway',
    summary: rows.length > 0 ? rows.map((r) => `${r.namespace}/${r.name}${r.found ? ` (${r.className}) ${address(r)}` : ' <not found>'}`).join('; ') : '<none>',
    notes,
    gateways: rows,
    status: hopStatus('gateway', findings),
  };
  return { hop, findings };
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

