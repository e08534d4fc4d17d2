// The endpoint hop: every EndpointSlice endpoint with its conditions, and the findings about
// readiness (no-ready-endpoints, some-endpoints-not-ready, single-endpoint, endpoints-terminating,
// publish-not-ready-addresses, ip-family-without-endpoints), about the selector (selector.ts) and
// about hand-made slices (selectorless.ts).

import { notReadyReason } from '../kube/pods.js';
import type { Endpoint, EndpointSlice, Pod, ServicePort } from '../kube/types.js';
import type { Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import { hopStatus, skipped, type HopResult } from './hop.js';
import type { EndpointHop, EndpointRow, Finding } from './model.js';
import { refOf, serviceRef } from './refs.js';
import { analyzeSelector, hasSelector } from './selector.js';
import { analyzeSelectorless } from './selectorless.js';

type Counts = { ready: number; total: number };

// `endpoints` are endpointRows(snapshot); `counts` is null when the EndpointSlices were not read
// (offline) or the Service has none (ExternalName).
export function endpointHop(snapshot: Snapshot, endpoints: EndpointRow[], ports: ServicePort[]): HopResult<EndpointHop> & { counts: Counts | null } {
  const findings = [...analyzeSelector(snapshot), ...analyzeEndpoints(snapshot, endpoints), ...analyzeSelectorless(snapshot, ports)];
  if (snapshot.service.spec.type === 'ExternalName') {
    return { hop: { kind: 'endpoint', status: 'skip', summary: 'ExternalName: no endpoints', notes: [], endpoints: [] }, findings, counts: null };
  }
  const counts = 'skipped' in snapshot.endpointSlices ? null : countEndpoints(endpoints);
  const status = hopStatus('endpoint', findings);
  const hop: EndpointHop = {
    kind: 'endpoint',
    // Offline, readiness is unknown (skip) — but a selector that selects nothing still fails here.
    status: counts || status !== 'ok' ? status : 'skip',
    summary: counts ? `${counts.ready}/${counts.total} ready` : `${snapshot.pods.length} would-be pod(s) selected`,
    notes: skipped(snapshot.endpointSlices),
    endpoints,
  };
  return { hop, findings, counts };
}

// Condition defaults as the API defines them: a missing `ready` is ready, a missing `serving`
// follows `ready`, a missing `terminating` is not terminating.
function endpointRow(slice: EndpointSlice, endpoint: Endpoint, pods: Pod[]): EndpointRow {
  const ready = endpoint.conditions?.ready ?? true;
  const terminating = endpoint.conditions?.terminating ?? false;
  const podName = endpoint.targetRef?.kind === 'Pod' ? endpoint.targetRef.name : undefined;
  const pod = pods.find((p) => p.metadata.name === podName);
  const row: EndpointRow = {
    address: endpoint.addresses[0] ?? '<none>',
    ports: (slice.ports ?? []).map((p) => `${p.name ? `${p.name}:` : ''}${p.port ?? '<none>'}/${p.protocol ?? 'TCP'}`),
    ready,
    serving: endpoint.conditions?.serving ?? ready,
    terminating,
    slice: slice.metadata.name,
  };
  if (podName) row.pod = podName;
  if (endpoint.nodeName) row.node = endpoint.nodeName;
  if (endpoint.zone) row.zone = endpoint.zone;
  // Not ready, or published anyway (publishNotReadyAddresses) while the pod fails its probe.
  if (!ready || !row.serving) row.reason = terminating ? 'terminating' : ((pod && notReadyReason(pod)) ?? 'not ready');
  return row;
}

export function endpointRows(snapshot: Snapshot): EndpointRow[] {
  if ('skipped' in snapshot.endpointSlices) return [];
  return snapshot.endpointSlices.items.flatMap((slice) =>
    (slice.endpoints ?? []).map((endpoint) => endpointRow(slice, endpoint, snapshot.pods)),
  );
}

// One backend is one pod, even when dual-stack lists it in an IPv4 and an IPv6 slice.
export function endpointIdentity(row: EndpointRow): string {
  return row.pod ? `pod/${row.pod}` : row.address;
}

function countEndpoints(rows: EndpointRow[]): { ready: number; total: number } {
  const all = new Set(rows.map(endpointIdentity));
  const ready = new Set(rows.filter((r) => r.ready).map(endpointIdentity));
  return { ready: ready.size, total: all.size };
}

const describeRow = (row: EndpointRow): string => `${row.pod ?? row.address} (${row.reason ?? 'not ready'})`;

function analyzeEndpoints(snapshot: Snapshot, rows: EndpointRow[]): Finding[] {
  const { service } = snapshot;
  const ref = [serviceRef(service)];
  const findings: Finding[] = [];
  if (service.spec.publishNotReadyAddresses) findings.push(raise('publish-not-ready-addresses', {}, ref));
  if (service.spec.type === 'ExternalName' || 'skipped' in snapshot.endpointSlices) return findings;

  const unique = (list: EndpointRow[]) => [...new Map(list.map((r) => [endpointIdentity(r), r])).values()];
  const ready = unique(rows.filter((r) => r.ready));
  const terminating = unique(rows.filter((r) => r.terminating));
  const notReady = unique(rows.filter((r) => !r.ready && !r.terminating));
  const listed = new Set(rows.map((r) => r.pod));
  const unlisted = snapshot.pods.filter((pod) => !listed.has(pod.metadata.name));
  const selects = hasSelector(snapshot) ? snapshot.pods.length > 0 : rows.length > 0;

  // kube-proxy falls back to serving terminating endpoints when none is ready: degraded, not broken.
  const servingTerminating = terminating.filter((r) => r.serving);
  if (selects && ready.length === 0 && servingTerminating.length > 0) {
    findings.push(
      raise('serving-terminating-fallback', { endpoints: servingTerminating.map((r) => r.pod ?? r.address), total: Math.max(countEndpoints(rows).total, snapshot.pods.length) }, ref),
    );
  } else if (selects && ready.length === 0) {
    const reasons = [
      ...notReady.map(describeRow),
      ...terminating.map(describeRow),
      ...unlisted.map((pod) => `${pod.metadata.name} (${notReadyReason(pod) ?? 'not in any EndpointSlice'})`),
    ];
    findings.push(raise('no-ready-endpoints', { total: Math.max(countEndpoints(rows).total, snapshot.pods.length), reasons }, ref));
  } else if (notReady.length > 0) {
    findings.push(
      raise('some-endpoints-not-ready', { notReady: notReady.map(describeRow), total: countEndpoints(rows).total }, [
        ...ref,
        ...notReady.filter((r) => r.pod).map((r) => ({ kind: 'Pod', name: r.pod!, namespace: service.metadata.namespace })),
      ]),
    );
  }
  if (ready.length === 1) findings.push(raise('single-endpoint', { endpoint: ready[0]!.pod ?? ready[0]!.address }, ref));
  if (terminating.length > 0 && !(ready.length === 0 && servingTerminating.length > 0)) {
    findings.push(raise('endpoints-terminating', { endpoints: terminating.map((r) => r.pod ?? r.address) }, ref));
  }
  // The controller keeps an empty placeholder slice for a family no pod has an address of: only a
  // slice with endpoints serves the family. Without any endpoint, no-ready-endpoints says it all.
  if (selects && rows.length > 0) {
    for (const family of service.spec.ipFamilies ?? []) {
      if (!snapshot.endpointSlices.items.some((slice) => slice.addressType === family && (slice.endpoints ?? []).length > 0)) {
        findings.push(raise('ip-family-without-endpoints', { family }, [...ref, ...snapshot.endpointSlices.items.map((s) => refOf('EndpointSlice', s))]));
      }
    }
  }
  return findings;
}
