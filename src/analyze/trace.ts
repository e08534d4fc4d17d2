// snapshot → trace: runs every analysis module, assembles the hop chain of the README's How it works and the verdict.
// Pure: no I/O, no clock.

import { manifestOriginOf } from '../kube/manifest-origin.js';
import type { Snapshot } from '../snapshot.js';
import { hasFinished } from '../kube/pods.js';
import { analyzeBackends } from './backends.js';
import { clientHop } from './client.js';
import { analyzeDns, dnsNotes, dnsRecords } from './dns.js';
import { analyzeEndpoints, countEndpoints, endpointRows } from './endpoints.js';
import { analyzeEvents } from './events.js';
import { analyzeFrontend, frontendEntries, isHeadless, unassigned } from './frontend.js';
import type { Finding, Hop, HopKind, HopStatus, Level, ServiceSummary, Trace, Verdict } from './model.js';
import { analyzePorts } from './ports.js';
import { analyzeProbe } from './probe.js';
import { analyzeRouting, routingNotes, routingRules } from './routing.js';
import { analyzeReferrers } from './referrers.js';
import { analyzeSelector } from './selector.js';
import { analyzeSelectorless } from './selectorless.js';
import { formatServicePort, selectServicePorts } from './service-ports.js';

export interface AnalyzeOptions {
  port?: string; // --port: one Service port by name or number
}

export const levelOrder: Record<Level, number> = { error: 0, warning: 1, info: 2 };

export function verdictOf(findings: Finding[]): Verdict {
  if (findings.some((f) => f.level === 'error')) return 'broken';
  if (findings.some((f) => f.level === 'warning')) return 'degraded';
  return 'ok';
}

export function hopStatus(kind: HopKind, findings: Finding[]): HopStatus {
  const levels = findings.filter((f) => f.hop === kind).map((f) => f.level);
  if (levels.includes('error')) return 'fail';
  if (levels.includes('warning')) return 'warn';
  return 'ok';
}

function summarize(snapshot: Snapshot): ServiceSummary {
  const { service } = snapshot;
  const spec = service.spec;
  const ingress = (service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '');
  const external = [
    ...(spec.type === 'ExternalName' ? [spec.externalName ?? '<none>'] : []),
    ...(spec.type === 'LoadBalancer' ? (ingress.length > 0 ? ingress : ['<pending>']) : []),
    ...(spec.externalIPs ?? []),
  ];
  const summary: ServiceSummary = {
    namespace: service.metadata.namespace ?? 'default',
    name: service.metadata.name,
    type: spec.type ?? 'ClusterIP',
    external,
    ports: (spec.ports ?? []).map(formatServicePort),
  };
  if (spec.clusterIP) summary.clusterIP = spec.clusterIP;
  else if (spec.type !== 'ExternalName') summary.clusterIP = unassigned;
  if (spec.selector) summary.selector = spec.selector;
  const manifest = manifestOriginOf(service);
  if (manifest) summary.manifest = { file: manifest.file, line: manifest.line };
  return summary;
}

function skipped(lookup: { skipped: string } | object): string[] {
  return 'skipped' in lookup ? [lookup.skipped as string] : [];
}

export function analyze(snapshot: Snapshot, options: AnalyzeOptions = {}): Trace {
  const { service, client } = snapshot;
  const spec = service.spec;
  const externalName = spec.type === 'ExternalName';
  const selected = selectServicePorts(service, options.port);
  const ports = selected.ports;
  const rows = endpointRows(snapshot);
  const allEntries = frontendEntries(snapshot, ports);
  const entries = client.kind === 'external' ? allEntries.filter((e) => e.kind !== 'ClusterIP') : allEntries;
  // Pods that have finished (a Job's Succeeded pods) are never endpoints: no port or policy of theirs matters.
  const running = snapshot.pods.filter((pod) => !hasFinished(pod));
  const backends = externalName ? undefined : analyzeBackends({ ...snapshot, pods: running }, ports, rows);
  const probe = analyzeProbe(snapshot, backends?.backends ?? []);
  const referrers = analyzeReferrers(snapshot);

  const findings = [
    ...selected.findings,
    ...analyzeDns(snapshot),
    ...analyzeFrontend(snapshot, ports, entries),
    ...referrers.findings,
    ...analyzeRouting(snapshot, rows),
    ...analyzeSelector(snapshot),
    ...analyzeEndpoints(snapshot, rows),
    ...analyzeSelectorless(snapshot, ports),
    ...analyzePorts(service, ports, running),
    ...(backends?.findings ?? []),
    ...probe.findings,
    ...analyzeEvents(snapshot),
  ].sort((a, b) => levelOrder[a.level] - levelOrder[b.level]);

  const status = (kind: HopKind) => hopStatus(kind, findings);
  const counts = 'skipped' in snapshot.endpointSlices || externalName ? null : countEndpoints(rows);
  const records = dnsRecords(snapshot, rows);
  const nodesMatter = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.internalTrafficPolicy === 'Local';

  const hops: Hop[] = [
    clientHop(snapshot),
    client.kind === 'external'
      ? { kind: 'dns', status: 'skip', summary: 'outside the cluster: no cluster DNS', notes: [], records: [] }
      : {
          kind: 'dns',
          status: status('dns'),
          summary: `${records[records.length > 1 && !externalName && !isHeadless(service) ? records.length - 1 : 0]?.name ?? service.metadata.name} → ${records[0]?.answers.join(', ') || '<none>'}`,
          notes: dnsNotes(snapshot),
          records,
        },
    {
      kind: 'frontend',
      status: status('frontend'),
      summary: entries.length > 0 ? `${entries[0]!.kind} ${entries[0]!.address}${entries[0]!.port ? `:${entries[0]!.port}/${entries[0]!.protocol}` : ''}${entries.length > 1 ? ` + ${entries.length - 1} more` : ''}` : isHeadless(service) ? 'headless: no virtual IP' : '<none>',
      notes: [...(nodesMatter ? skipped(snapshot.nodes) : []), ...skipped(snapshot.events), ...referrers.notes],
      entries,
      ...(snapshot.referrers ? { referencedBy: referrers.referencedBy } : {}),
    },
    { kind: 'routing', status: status('routing'), summary: routingRules(snapshot, rows)[0] ?? '', notes: routingNotes(snapshot), rules: routingRules(snapshot, rows) },
    externalName
      ? { kind: 'endpoint', status: 'skip', summary: 'ExternalName: no endpoints', notes: [], endpoints: [] }
      : {
          kind: 'endpoint',
          // Offline, readiness is unknown (skip) — but a selector that selects nothing still fails here.
          status: counts || status('endpoint') !== 'ok' ? status('endpoint') : 'skip',
          summary: counts ? `${counts.ready}/${counts.total} ready` : `${snapshot.pods.length} would-be pod(s) selected`,
          notes: skipped(snapshot.endpointSlices),
          endpoints: rows,
        },
    externalName || !backends
      ? { kind: 'backend', status: 'skip', summary: 'ExternalName: no pods', notes: probe.notes, backends: [] }
      : {
          kind: 'backend',
          status: backends.backends.length === 0 && status('backend') === 'ok' ? 'skip' : status('backend'),
          summary: [backendSummary(backends.backends, snapshot.pods.length > 0), probe.summary].filter(Boolean).join('; '),
          notes: [...backends.notes, ...probe.notes],
          backends: backends.backends,
        },
  ];
  return {
    apiVersion: 'svc-trace/v1',
    kind: 'Trace',
    source: snapshot.source,
    service: summarize(snapshot),
    verdict: verdictOf(findings),
    endpoints: counts,
    hops,
    findings,
  };
}

function backendSummary(backends: Array<{ pod: string; containerPort?: number }>, selectsPods: boolean): string {
  if (backends.length === 0) return 'no backend';
  const count = new Set(backends.map((b) => b.pod)).size;
  if (!selectsPods) return `${count} address(es) from the EndpointSlices`;
  const targets = [...new Set(backends.filter((b) => b.containerPort).map((b) => `${b.containerPort}`))];
  return `${count} pod(s), ${targets.length > 0 ? `container port ${targets.join(', ')}` : 'no container port resolved'}`;
}
