// Pure: how many backends of a Service are ready, and why the others are not — read from the trace's
// endpoint rows (their `reason` says why, from the pod) plus the selected pods that have no endpoint
// yet (no IP while Pending, not yet picked up by the EndpointSlice controller). Terminating
// endpoints are leaving and count neither way. With --port, only that port's endpoints count.

import { endpointIdentity } from '../analyze/endpoint.js';
import type { EndpointHop, EndpointRow, Trace } from '../analyze/model.js';
import { isTerminating, notReadyReason } from '../kube/pods.js';
import type { ServicePort } from '../kube/types.js';
import type { Snapshot } from '../snapshot.js';
import type { EndpointCounts } from './model.js';

export interface Readiness {
  counts: EndpointCounts;
  notReady: string[]; // `web-7d4b9c8f6-tq5vd 10.244.3.4 on node-c: readiness probe of web failing`
  portMissing: boolean; // --port names no port of the Service
}

export function servicePortOf(snapshot: Snapshot, port: string): ServicePort | undefined {
  return (snapshot.service.spec.ports ?? []).find((candidate) => candidate.name === port || String(candidate.port) === port);
}

// EndpointSlice ports carry the Service port's name (empty for a Service's only, unnamed port).
function rowsOnPort(rows: EndpointRow[], servicePort: ServicePort): EndpointRow[] {
  if (!servicePort.name) return rows;
  return rows.filter((row) => row.ports.some((port) => port.startsWith(`${servicePort.name}:`)));
}

function describeRow(row: EndpointRow): string {
  const where = `${row.address}${row.node ? ` on ${row.node}` : ''}`;
  return `${row.pod ? `${row.pod} ${where}` : where}: ${row.reason ?? 'not ready'}`;
}

export function readinessOf(snapshot: Snapshot, trace: Trace, port?: string): Readiness {
  const hop = trace.hops.find((candidate): candidate is EndpointHop => candidate.kind === 'endpoint');
  const allRows = hop?.endpoints ?? [];
  const servicePort = port === undefined ? undefined : servicePortOf(snapshot, port);
  const portMissing = port !== undefined && servicePort === undefined;
  const rows = port === undefined ? allRows : servicePort ? rowsOnPort(allRows, servicePort) : [];

  const ready = new Set(rows.filter((row) => row.ready).map(endpointIdentity));
  const notReadyRows = [
    ...new Map(rows.filter((row) => !row.ready && !row.terminating && !ready.has(endpointIdentity(row))).map((row) => [endpointIdentity(row), row])).values(),
  ];
  const listed = new Set(rows.map((row) => row.pod));
  const listedAnywhere = new Set(allRows.map((row) => row.pod));
  const withoutEndpoint = portMissing
    ? []
    : snapshot.pods.filter(
        (pod) => !listed.has(pod.metadata.name) && !isTerminating(pod) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed',
      );
  const withoutEndpointLines = withoutEndpoint.map((pod) => {
    const why =
      notReadyReason(pod) ??
      (listedAnywhere.has(pod.metadata.name) ? `no endpoint for port ${port}` : 'not in any EndpointSlice yet');
    return `${pod.metadata.name} (no endpoint): ${why}`;
  });
  const notReady = notReadyRows.length + withoutEndpoint.length;
  return {
    counts: { ready: ready.size, notReady, total: ready.size + notReady },
    notReady: [...notReadyRows.map(describeRow), ...withoutEndpointLines],
    portMissing,
  };
}
