// The routing hop: what kube-proxy does with a packet to the Service — session affinity, external
// and internal traffic policy, topology-aware routing, and whether it programs the Service at all.

import type { Service } from '../kube/types.js';
import { lookupItems, type Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import { hopStatus, type HopResult } from './hop.js';
import { analyzeKubeProxy, kubeProxyNotes, kubeProxyRule } from './kube-proxy.js';
import type { EndpointRow, Finding, RoutingHop } from './model.js';
import { serviceRef } from './refs.js';

const proxyNameLabel = 'service.kubernetes.io/service-proxy-name';

// The endpoints tell which nodes can serve, which the traffic policies make matter.
export function routingHop(snapshot: Snapshot, endpoints: EndpointRow[]): HopResult<RoutingHop> {
  const findings = analyzeRouting(snapshot, endpoints);
  const rules = routingRules(snapshot, endpoints);
  return { hop: { kind: 'routing', status: hopStatus('routing', findings), summary: rules[0] ?? '', notes: routingNotes(snapshot), rules }, findings };
}

// What asks for topology-aware routing, in the user's own words, or undefined.
function topologyRequest(service: Service): string | undefined {
  const annotations = service.metadata.annotations ?? {};
  const mode = annotations['service.kubernetes.io/topology-mode'];
  if (mode && mode.toLowerCase() !== 'disabled') return `annotation service.kubernetes.io/topology-mode=${mode}`;
  const legacy = annotations['service.kubernetes.io/topology-aware-hints'];
  if (legacy && legacy.toLowerCase() !== 'disabled') return `annotation service.kubernetes.io/topology-aware-hints=${legacy}`;
  if (service.spec.trafficDistribution) return `trafficDistribution ${service.spec.trafficDistribution}`;
  return undefined;
}

function nodesWithReadyEndpoint(rows: EndpointRow[]): Set<string> {
  return new Set(rows.filter((r) => r.ready && r.node).map((r) => r.node!));
}

function routingRules(snapshot: Snapshot, rows: EndpointRow[]): string[] {
  const spec = snapshot.service.spec;
  if (spec.type === 'ExternalName') return ['no proxying: DNS answers with a CNAME to the external name'];
  if (spec.clusterIP === 'None') return ['no proxying: headless, clients connect to pod IPs straight from DNS'];
  const rules: string[] = [];
  const proxyName = snapshot.service.metadata.labels?.[proxyNameLabel];
  rules.push(proxyName ? `programmed only by the proxy named ${proxyName}` : 'kube-proxy load-balances each connection over the ready endpoints');
  rules.push(
    spec.sessionAffinity === 'ClientIP'
      ? `sessionAffinity ClientIP (${spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800}s)`
      : 'no session affinity',
  );
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    rules.push(
      spec.externalTrafficPolicy === 'Local'
        ? 'externalTrafficPolicy Local: external traffic goes only to endpoints on the receiving node; client IP preserved'
        : 'externalTrafficPolicy Cluster: external traffic may hop to another node; client IP is masqueraded',
    );
  }
  if (spec.internalTrafficPolicy === 'Local') rules.push('internalTrafficPolicy Local: in-cluster traffic goes only to endpoints on the client\'s node');
  const topology = topologyRequest(snapshot.service);
  if (topology) rules.push(`topology-aware routing asked for by ${topology}`);
  const local = nodesWithReadyEndpoint(rows);
  if (local.size > 0) rules.push(`nodes that can serve: ${[...local].sort().join(', ')}`);
  const proxy = kubeProxyRule(snapshot);
  if (proxy) rules.push(proxy);
  return rules;
}

// What the routing hop could not look at.
function routingNotes(snapshot: Snapshot): string[] {
  const spec = snapshot.service.spec;
  return spec.type === 'ExternalName' || spec.clusterIP === 'None' ? [] : kubeProxyNotes(snapshot);
}

function analyzeRouting(snapshot: Snapshot, rows: EndpointRow[]): Finding[] {
  const { service, client } = snapshot;
  const spec = service.spec;
  if (spec.type === 'ExternalName') return [];
  const ref = [serviceRef(service)];
  const findings: Finding[] = [...analyzeKubeProxy(snapshot)];
  const proxyName = service.metadata.labels?.[proxyNameLabel];
  if (proxyName) findings.push(raise('service-proxy-name', { proxyName }, ref));
  if (spec.sessionAffinity === 'ClientIP') {
    findings.push(raise('session-affinity', { timeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 }, ref));
  }
  if ('skipped' in snapshot.endpointSlices) return findings;

  const local = nodesWithReadyEndpoint(rows);
  const nodeNames = lookupItems(snapshot.nodes).map((n) => n.metadata.name);
  const anyReady = rows.some((r) => r.ready);
  if (spec.externalTrafficPolicy === 'Local' && (spec.type === 'NodePort' || spec.type === 'LoadBalancer') && anyReady) {
    const gaps = nodeNames.filter((name) => !local.has(name));
    if (gaps.length > 0) findings.push(raise('external-traffic-local-gaps', { nodes: gaps, total: nodeNames.length }, ref));
  }
  if (spec.internalTrafficPolicy === 'Local' && client.kind !== 'external') {
    const clientNodes =
      client.kind === 'pod' ? [client.pod.spec.nodeName ?? ''].filter(Boolean) : client.kind === 'node' ? [client.name] : nodeNames;
    const gaps = clientNodes.filter((name) => !local.has(name));
    // For the client the user named, its traffic is dropped: an error. For clients in general, a warning.
    const named = client.kind === 'pod' ? `pod ${client.pod.metadata.name} runs on ${gaps[0]}, which has` : client.kind === 'node' ? `node ${client.name} has` : undefined;
    if (gaps.length > 0) {
      findings.push(raise('internal-traffic-local-gaps', { nodes: gaps, ...(named ? { client: named } : {}) }, ref, named ? 'error' : 'warning'));
    }
  }
  const topology = topologyRequest(service);
  const hinted = snapshot.endpointSlices.items.some((slice) => (slice.endpoints ?? []).some((e) => (e.hints?.forZones ?? []).length + (e.hints?.forNodes ?? []).length > 0));
  if (topology && anyReady && !hinted) findings.push(raise('topology-hints-missing', { asked: topology }, ref));
  return findings;
}
