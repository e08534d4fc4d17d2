// snapshot → trace: the hops in the order a packet takes them (README, How it works), each from its
// own module, then the verdict. Pure: no I/O, no clock.

import type { Snapshot } from '../snapshot.js';
import { backendHop } from './backend.js';
import { clientHop } from './client.js';
import { dnsHop } from './dns.js';
import { endpointHop, endpointRows } from './endpoint.js';
import { frontendHop } from './frontend.js';
import { levelOrder } from './hop.js';
import type { Finding, Trace, Verdict } from './model.js';
import { routingHop } from './routing.js';
import { serviceSummary } from './service.js';

export interface AnalyzeOptions {
  port?: string; // --port: one Service port by name or number
}

export function verdictOf(findings: Finding[]): Verdict {
  if (findings.some((f) => f.level === 'error')) return 'broken';
  if (findings.some((f) => f.level === 'warning')) return 'degraded';
  return 'ok';
}

export function analyze(snapshot: Snapshot, options: AnalyzeOptions = {}): Trace {
  // The EndpointSlices' endpoints, which the dns, routing and backend hops read as well.
  const endpoints = endpointRows(snapshot);
  const frontend = frontendHop(snapshot, options.port); // decides the Service ports the later hops follow
  const endpoint = endpointHop(snapshot, endpoints, frontend.ports);
  const hops = [
    clientHop(snapshot),
    dnsHop(snapshot, endpoints),
    frontend,
    routingHop(snapshot, endpoints),
    endpoint,
    backendHop(snapshot, endpoints, frontend.ports),
  ];
  const findings = inTraceOrder(hops.flatMap((result) => result.findings));
  return {
    apiVersion: 'svc-trace/v1',
    kind: 'Trace',
    source: snapshot.source,
    service: serviceSummary(snapshot.service),
    verdict: verdictOf(findings),
    endpoints: endpoint.counts,
    hops: hops.map((result) => result.hop),
    findings,
  };
}

// Errors, then warnings, then info; within a level hop by hop, except that what --port asked comes
// first and what the Service's Warning events say comes last (both are frontend findings).
const placed = (finding: Finding) => (finding.id === 'port-not-found' ? -1 : finding.id === 'warning-events' ? 1 : 0);

function inTraceOrder(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => levelOrder[a.level] - levelOrder[b.level] || placed(a) - placed(b));
}
