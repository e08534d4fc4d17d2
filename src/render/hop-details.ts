// The detail lines of each hop, shared by the text and tree renderers.

import type { BackendRow, EndpointRow, Hop, Referrer } from '../analyze/model.js';
import { firstOf } from './style.js';

export function endpointLine(row: EndpointRow, wide: boolean): string {
  const where = [row.node, wide ? row.zone : undefined].filter(Boolean).join(' ');
  const state = !row.ready ? `not ready: ${row.reason ?? 'not ready'}` : row.terminating ? 'ready, terminating' : row.serving ? 'ready' : `published, not serving: ${row.reason ?? 'not ready'}`;
  const ports = wide && row.ports.length > 0 ? ` ${row.ports.join(',')}` : '';
  return `${row.address}${ports}  ${row.pod ?? '<none>'}${where ? ` on ${where}` : ''}  ${state}`;
}

export function backendLine(row: BackendRow): string {
  const target = row.containerPort ? `${row.container ? `${row.container}:` : ''}${row.containerPort}/${row.protocol}` : '<none>';
  const policy = row.networkPolicy === 'not-evaluated' || row.networkPolicy === 'not-isolated' ? '' : `  policy: ${row.networkPolicy}${row.policies.length ? ` (${row.policies.join(', ')})` : ''}`;
  return `port ${row.servicePort} → ${row.pod} ${target}${row.problem ? `  ${row.problem}` : ''}${policy}${row.probe ? `  probe: ${probeWords(row.probe)}` : ''}`;
}

// `accepted 4ms`, `refused`, `timeout`, `failed: <what the kubelet said>`.
export function probeWords(probe: NonNullable<BackendRow['probe']>): string {
  if (probe.outcome === 'accepted') return `accepted${probe.milliseconds !== undefined ? ` ${probe.milliseconds}ms` : ''}`;
  return probe.outcome;
}

// An Ingress or route that sends to the Service: `from ingress/shop (port 80)`.
export function referrerLine(referrer: Referrer): string {
  return `from ${referrerName(referrer)} (port ${referrer.port || '<none>'})${referrer.problem ? `  ${referrer.problem}` : ''}`;
}

export const referrerName = (referrer: Referrer): string =>
  `${referrer.kind.toLowerCase()}/${referrer.name}`;

// Text lines under a hop; `wide` shows everything, otherwise long lists are cut as kubectl does.
export function hopDetails(hop: Hop, wide: boolean): string[] {
  const max = wide ? Infinity : 5;
  switch (hop.kind) {
    case 'client':
      return wide && hop.client.ip ? [`IP ${hop.client.ip}`] : [];
    case 'dns':
      return wide ? hop.records.map((r) => `${r.name} → ${r.answers.join(', ') || '<none>'}`) : [];
    case 'frontend':
      return [
        ...(hop.entries.length > 1 || wide
          ? firstOf(hop.entries.map((e) => `${e.kind} ${e.address}${e.port ? `:${e.port}/${e.protocol}` : ''}${e.servicePort ? ` (port ${e.servicePort})` : ''}`), max)
          : []),
        ...firstOf((hop.referencedBy ?? []).map(referrerLine), max),
      ];
    case 'routing':
      return wide ? hop.rules.slice(1) : [];
    case 'endpoint': {
      const shown = wide ? hop.endpoints : [...hop.endpoints.filter((e) => !e.ready), ...hop.endpoints.filter((e) => e.ready)];
      return firstOf(shown.map((e) => endpointLine(e, wide)), max);
    }
    case 'backend': {
      // Probed rows are shown too: the ones that did not accept first.
      const troubled = (b: BackendRow) => Boolean(b.problem) || b.networkPolicy === 'denied' || (b.probe !== undefined && b.probe.outcome !== 'accepted');
      const shown = wide ? hop.backends : [...hop.backends.filter(troubled), ...hop.backends.filter((b) => b.probe?.outcome === 'accepted' && !troubled(b))];
      return firstOf(shown.map(backendLine), max);
    }
  }
}
