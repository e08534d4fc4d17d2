// entry snapshot → entry trace: the Ingress's or route's own hops and findings, then every backend
// Service with its own trace (following the port the entry names). Pure: no I/O, no clock.

import type { EntrySnapshot } from '../snapshot.js';
import type { EntryBackend, EntryHop, EntryTrace } from './entry-model.js';
import { ingressHop } from './ingress.js';
import type { Verdict } from './model.js';
import { routeHops } from './route.js';
import { levelOrder, type EntryHopsResult } from './hop.js';
import { analyze, verdictOf } from './trace.js';
import { serviceKey } from './entry-backends.js';

const worst = (verdicts: Verdict[]): Verdict =>
  verdicts.includes('broken') ? 'broken' : verdicts.includes('degraded') ? 'degraded' : 'ok';

export function analyzeEntry(snapshot: EntrySnapshot): EntryTrace {
  const { entry, source } = snapshot;
  const services = Object.fromEntries(Object.entries(snapshot.services).map(([key, s]) => [key, s.service]));
  const object = entry.kind === 'Ingress' ? entry.ingress : entry.route;
  const own: EntryHopsResult<EntryHop[]> = entry.kind === 'Ingress' ? ingressHop(entry, services, source) : routeHops(entry, services, source);
  const { hops } = own;
  const findings = [...own.findings].sort((a, b) => levelOrder[a.level] - levelOrder[b.level]);

  const backends: EntryBackend[] = own.backends.map(({ servicePorts: _ports, ...backend }) => {
    const serviceSnapshot = snapshot.services[serviceKey(backend.namespace, backend.name)];
    const traced = serviceSnapshot && (backend.state === 'found' || backend.state === 'port-missing');
    return {
      ...backend,
      // A port the Service lacks is reported once, by the entry; the Service is then traced on all its ports.
      trace: traced ? analyze(serviceSnapshot, backend.state === 'found' ? { port: backend.port } : {}) : null,
    };
  });

  const ingress = entry.kind === 'Ingress' ? hops.find((h) => h.kind === 'ingress') : undefined;
  const gateway = hops.find((h) => h.kind === 'gateway');
  const hostnames =
    entry.kind === 'Ingress'
      ? [...new Set((entry.ingress.spec.rules ?? []).map((r) => r.host ?? '*'))]
      : (entry.route.spec.hostnames ?? []);
  const addresses =
    ingress && ingress.kind === 'ingress' ? ingress.addresses : gateway && gateway.kind === 'gateway' ? gateway.gateways.flatMap((g) => g.addresses) : [];
  return {
    apiVersion: 'svc-trace/v1',
    kind: 'EntryTrace',
    source,
    entry: { kind: entry.kind, namespace: object.metadata.namespace ?? 'default', name: object.metadata.name, hostnames, addresses },
    verdict: worst([verdictOf(findings), ...backends.flatMap((b) => (b.trace ? [b.trace.verdict] : []))]),
    hops,
    backends,
    findings,
  };
}
