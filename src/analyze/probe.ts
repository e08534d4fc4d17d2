// Pure: what `--probe` found (the snapshot's ProbeReport) on the backend hop — each probed row gets
// its outcome, refusals and timeouts become findings, and what could not be probed becomes a note.

import type { PortProbe } from '../probe/model.js';
import type { Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import type { BackendRow, Finding } from './model.js';
import { serviceRef } from './refs.js';

export interface ProbeAnalysis {
  findings: Finding[];
  notes: string[];
  // `probe: 2/3 accepted` for the hop's summary; undefined when nothing was probed.
  summary?: string;
}

const seconds = (milliseconds: number) => (milliseconds % 1000 === 0 ? `${milliseconds / 1000}s` : `${milliseconds}ms`);

// Sets `probe` on the rows it concerns (the rows are the analysis' own, just built).
export function analyzeProbe(snapshot: Snapshot, rows: BackendRow[]): ProbeAnalysis {
  const report = snapshot.probe;
  if (!report) return { findings: [], notes: [] };
  const notes = [...report.skipped];
  const forbidden = report.probes.find((p) => p.outcome === 'forbidden');
  if (forbidden) notes.push(`probe not permitted: ${forbidden.message ?? 'the API server refused pods/portforward'} (it needs get and create on pods/portforward)`);
  const probed = report.probes.filter((p) => p.outcome !== 'forbidden');
  for (const probe of probed) {
    const row = rows.find((r) => r.pod === probe.pod && r.servicePort === probe.servicePort);
    if (row) {
      row.probe = { outcome: probe.outcome as Exclude<PortProbe['outcome'], 'forbidden'>, port: probe.port };
      if (probe.milliseconds !== undefined) row.probe.milliseconds = probe.milliseconds;
      if (probe.message !== undefined) row.probe.message = probe.message;
    }
    if (probe.outcome === 'failed') notes.push(`probe of pod ${probe.pod} port ${probe.port} failed: ${probe.message ?? 'no reason given'}`);
  }
  if (report.notProbed.length > 0) {
    notes.push(`probe: ${report.notProbed.length} more ready pod(s) not probed (--probe-limit ${report.limit})`);
  }
  const findings: Finding[] = [];
  for (const servicePort of [...new Set(probed.map((p) => p.servicePort))]) {
    const onPort = probed.filter((p) => p.servicePort === servicePort && p.outcome !== 'failed');
    const refused = onPort.filter((p) => p.outcome === 'refused');
    const timedOut = onPort.filter((p) => p.outcome === 'timeout');
    const namespace = snapshot.service.metadata.namespace;
    const objects = (probes: PortProbe[]) => [serviceRef(snapshot.service), ...probes.map((p) => ({ kind: 'Pod', name: p.pod, namespace }))];
    if (refused.length > 0) {
      const params = { servicePort: `${servicePort} (target port ${[...new Set(refused.map((p) => p.port))].join(', ')})`, refused: refused.map((p) => p.pod), probed: onPort.length };
      findings.push(raise('port-not-listening', params, objects(refused), refused.length === onPort.length ? 'error' : 'warning'));
    }
    if (timedOut.length > 0) {
      findings.push(raise('port-probe-timeout', { servicePort, pods: timedOut.map((p) => p.pod), timeout: seconds(report.timeoutMs) }, objects(timedOut)));
    }
  }
  const accepted = probed.filter((p) => p.outcome === 'accepted').length;
  return { findings, notes, ...(probed.length > 0 ? { summary: `probe: ${accepted}/${probed.length} accepted` } : {}) };
}
