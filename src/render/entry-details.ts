// The detail lines of an entry's hops (ingress, route, gateway), shared by the text and tree renderers.

import type { EntryBackend, EntryHop, EntryRuleRow, EntryTrace, GatewayRow } from '../analyze/entry-model.js';
import type { Finding } from '../analyze/model.js';
import { firstOf } from './style.js';

const ruleLine = (rule: EntryRuleRow) => `${rule.host} ${rule.match} → ${rule.backends.join(', ') || '<none>'}`;
const condition = (type: string, status: string | null) => `${type}=${status ?? '<unknown>'}`;

function gatewayLines(gateway: GatewayRow, wide: boolean): string[] {
  const name = `${gateway.namespace}/${gateway.name}`;
  if (!gateway.found) return [`${name}: <not found>`];
  const listeners = gateway.listeners.map((l) => `listener ${l.name} ${l.protocol}/${l.port} ${l.hostname ?? '*'}`);
  return [
    `${name}: class ${gateway.className ?? '<none>'}, ${condition('Accepted', gateway.accepted)}, ${condition('Programmed', gateway.programmed)}, address ${gateway.addresses.join(', ') || '<none>'}`,
    ...firstOf(listeners, wide ? Infinity : 5),
  ];
}

export function entryHopDetails(hop: EntryHop, wide: boolean): string[] {
  const max = wide ? Infinity : 5;
  switch (hop.kind) {
    case 'ingress':
      return [
        ...(hop.controller && wide ? [`controller ${hop.controller}`] : []),
        ...firstOf(hop.rules.map(ruleLine), max),
        ...hop.tls.map((t) => `TLS ${t.hosts.join(', ') || '*'}: ${t.secret === 'default-certificate' ? "the controller's default certificate" : `Secret ${t.secretName} ${t.secret === 'found' ? 'exists' : t.secret === 'missing' ? 'does not exist' : '(not checked)'}`}`),
      ];
    case 'route':
      return [
        ...hop.parents.map(
          (p) => `parent ${p.kind} ${p.namespace}/${p.name}${p.sectionName ? ` listener ${p.sectionName}` : ''}: ${condition('Accepted', p.accepted)}, ${condition('ResolvedRefs', p.resolvedRefs)}${p.reason ? ` (${p.reason})` : ''}`,
        ),
        ...firstOf(hop.rules.map(ruleLine), max),
      ];
    case 'gateway':
      return hop.gateways.flatMap((g) => gatewayLines(g, wide));
  }
}

export function backendTitle(backend: EntryBackend): string {
  const state =
    backend.state === 'missing'
      ? 'the Service does not exist'
      : backend.state === 'not-permitted'
      ? 'not permitted (no ReferenceGrant)'
      : backend.state === 'port-missing'
      ? `the Service has no port ${backend.port || '<none>'}`
      : backend.trace?.verdict ?? '';
  return `Service ${backend.namespace}/${backend.name} port ${backend.port || '<none>'} (from ${firstOf(backend.from, 3).join('; ')}): ${state}`;
}

// The entry's findings and those of every backend, for the verdict line.
export function allFindings(trace: EntryTrace): Finding[] {
  return [...trace.findings, ...trace.backends.flatMap((b) => b.trace?.findings ?? [])];
}

export function entryHeader(trace: EntryTrace): Array<[string, string]> {
  const { entry } = trace;
  const hop = trace.hops[0]!;
  const rows: Array<[string, string]> = [[`${entry.kind}:`, `${entry.namespace}/${entry.name}${trace.source === 'manifests' ? ' (from manifests)' : ''}`]];
  if (hop.kind === 'ingress') rows.push(['Class:', `${hop.className ?? '<none>'}${hop.controller ? ` (${hop.controller})` : ''}`]);
  rows.push(['Hosts:', entry.hostnames.join(', ') || '*']);
  rows.push(['Address:', entry.addresses.join(', ') || (trace.source === 'cluster' ? '<pending>' : '<unassigned>')]);
  return rows;
}
