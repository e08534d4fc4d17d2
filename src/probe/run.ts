// `--probe`: the probe's I/O for one Service. Picks the targets from the snapshot's EndpointSlices,
// opens them all at once through the port-forward transport that `forward` uses (one tunnel per
// pod), and closes every tunnel before it returns. Nothing else is sent or written.

import type { Gateway } from '../cluster/gateway.js';
import { portForwardTransport } from '../forward/wire/transport.js';
import { lookupItems, type Snapshot } from '../snapshot.js';
import { probePort } from './connect.js';
import type { ProbeOptions, ProbeReport } from './model.js';
import { probeTargets } from './targets.js';

export interface ProbeRun extends ProbeOptions {
  port?: string;
  // Bound on each websocket upgrade (--request-timeout; 0: 30s).
  upgradeTimeoutMs: number;
  debug?: (line: string) => void;
}

export async function probeService(gateway: Gateway, snapshot: Snapshot, options: ProbeRun): Promise<ProbeReport> {
  const namespace = snapshot.service.metadata.namespace ?? 'default';
  const plan = probeTargets(snapshot.service, lookupItems(snapshot.endpointSlices), { port: options.port, limit: options.limit });
  const report = { timeoutMs: options.timeoutMs, limit: options.limit, notProbed: plan.notProbed, skipped: plan.skipped };
  if (plan.targets.length === 0) return { ...report, probes: [] };
  const transport = portForwardTransport(gateway, { timeoutMs: options.upgradeTimeoutMs, debug: options.debug });
  try {
    const probes = await Promise.all(plan.targets.map((target) => probePort(transport.open, namespace, target, options.timeoutMs)));
    return { ...report, probes };
  } finally {
    transport.close();
  }
}

export async function withProbe(gateway: Gateway, snapshot: Snapshot, options: ProbeRun | undefined): Promise<Snapshot> {
  if (!options) return snapshot;
  return { ...snapshot, probe: await probeService(gateway, snapshot, options) };
}
