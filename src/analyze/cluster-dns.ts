// The cluster DNS, as the dns hop sees it: does kube-system/kube-dns have ready endpoints
// (cluster-dns-unavailable), and do the client's egress policies admit UDP and TCP 53 to its pods
// (dns-egress-blocked). Pure: reads only what the gatherer put in snapshot.clusterDns.

import { resolveTargetPort } from '../kube/pods.js';
import type { Protocol } from '../kube/types.js';
import type { ClusterDns, Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import type { Finding } from './model.js';
import { evaluateEgress, isolatingPolicies, type PolicyDecision } from './network-policy.js';
import { podRef, serviceRef } from './refs.js';

const dnsPort = 53;

function usesClusterDns(snapshot: Snapshot): boolean {
  return snapshot.client.kind === 'pod' || snapshot.client.kind === 'generic';
}

function endpointCounts(dns: ClusterDns): { ready: number; total: number } {
  const endpoints = dns.endpointSlices.flatMap((slice) => slice.endpoints ?? []);
  return { ready: endpoints.filter((endpoint) => endpoint.conditions?.ready !== false).length, total: endpoints.length };
}

const nameOf = (dns: ClusterDns) => `${dns.service.metadata.namespace}/${dns.service.metadata.name}`;

export function clusterDnsNotes(snapshot: Snapshot): string[] {
  const lookup = snapshot.clusterDns;
  if (!lookup || !usesClusterDns(snapshot)) return [];
  if ('skipped' in lookup) return [lookup.skipped];
  const dns = lookup.found;
  const { ready, total } = endpointCounts(dns);
  const notes = [`cluster DNS ${nameOf(dns)} (${dns.service.spec.clusterIP ?? '<none>'}): ${ready}/${total} endpoints ready`];
  const client = snapshot.client;
  if (client.kind === 'pod' && dns.pods.length === 0 && 'items' in snapshot.networkPolicies &&
      isolatingPolicies(snapshot.networkPolicies.items, client.pod, 'Egress').length > 0) {
    notes.push(`the pods of ${nameOf(dns)} could not be read: the client's egress to them on port ${dnsPort} was not checked`);
  }
  return notes;
}

export function analyzeClusterDns(snapshot: Snapshot): Finding[] {
  const lookup = snapshot.clusterDns;
  if (!lookup || 'skipped' in lookup || !usesClusterDns(snapshot)) return [];
  const dns = lookup.found;
  const findings: Finding[] = [];
  const { ready, total } = endpointCounts(dns);
  if (ready === 0) findings.push(raise('cluster-dns-unavailable', { service: nameOf(dns), total }, [serviceRef(snapshot.service), serviceRef(dns.service)]));
  const blocked = dnsEgressBlocked(snapshot, dns);
  if (blocked) findings.push(blocked);
  return findings;
}

// The client's egress to each DNS pod on each port-53 Service port (after DNAT: the pod's target port).
function dnsEgressBlocked(snapshot: Snapshot, dns: ClusterDns): Finding | undefined {
  const { client } = snapshot;
  if (client.kind !== 'pod' || !('items' in snapshot.networkPolicies) || dns.pods.length === 0) return undefined;
  const policies = snapshot.networkPolicies.items;
  if (isolatingPolicies(policies, client.pod, 'Egress').length === 0) return undefined;
  const namespaceLabels = { ...snapshot.namespaceLabels, [dns.service.metadata.namespace ?? 'kube-system']: dns.namespaceLabels };
  const denied = new Map<Protocol, PolicyDecision>();
  for (const servicePort of (dns.service.spec.ports ?? []).filter((port) => port.port === dnsPort)) {
    const protocol = servicePort.protocol ?? 'TCP';
    const decisions = dns.pods.flatMap((pod) => {
      const target = resolveTargetPort(pod, servicePort);
      if (target.kind !== 'resolved') return [];
      return [evaluateEgress({ policies, backend: pod, namespaceLabels, client, port: { number: target.containerPort, protocol } })];
    });
    // Blocked only when no DNS pod may be reached: kube-proxy spreads queries over all of them.
    const first = decisions.find((decision) => decision.allowed === false);
    if (first && decisions.every((decision) => decision.allowed === false)) denied.set(protocol, first);
  }
  if (denied.size === 0) return undefined;
  const protocols = [...denied.keys()].sort((a, b) => (a === 'UDP' ? -1 : b === 'UDP' ? 1 : a.localeCompare(b)));
  const reason = denied.get(protocols[0]!)!.reason;
  // TCP 53 alone blocked: ordinary lookups work, only answers too large for UDP fail.
  const level = denied.has('UDP') ? 'error' : 'warning';
  return raise('dns-egress-blocked', { protocols, service: nameOf(dns), reason }, [serviceRef(snapshot.service), podRef(client.pod), serviceRef(dns.service)], level);
}
