// The frontend hop: the Service ports the trace follows (`--port`), the addresses a client connects
// to — ClusterIP:port, every nodeIP:nodePort, LoadBalancer ingress, externalIPs, or the ExternalName
// target — the Ingresses and routes that send to the Service, and the findings about them.

import type { Node, ServicePort } from '../kube/types.js';
import type { Lookup, Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import { analyzeEvents } from './events.js';
import { hopStatus, skipped, type HopResult } from './hop.js';
import type { Finding, FrontendEntry, FrontendHop } from './model.js';
import { analyzeReferrers } from './referrers.js';
import { serviceRef } from './refs.js';
import { isHeadless, unassigned } from './service.js';
import { portLabel, selectServicePorts } from './service-ports.js';

// `port` is --port; the ports it selects are what the later hops follow.
export function frontendHop(snapshot: Snapshot, port: string | undefined): HopResult<FrontendHop> & { ports: ServicePort[] } {
  const { service } = snapshot;
  const spec = service.spec;
  const selected = selectServicePorts(service, port);
  const all = frontendEntries(snapshot, selected.ports);
  const entries = snapshot.client.kind === 'external' ? all.filter((e) => e.kind !== 'ClusterIP') : all;
  const referrers = analyzeReferrers(snapshot);
  const findings = [...selected.findings, ...analyzeFrontend(snapshot, selected.ports, entries), ...referrers.findings, ...analyzeEvents(snapshot)];
  const nodesMatter = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.internalTrafficPolicy === 'Local';
  const first = entries[0];
  return {
    hop: {
      kind: 'frontend',
      status: hopStatus('frontend', findings),
      summary: first
        ? `${first.kind} ${first.address}${first.port ? `:${first.port}/${first.protocol}` : ''}${entries.length > 1 ? ` + ${entries.length - 1} more` : ''}`
        : isHeadless(service) ? 'headless: no virtual IP' : '<none>',
      notes: [...(nodesMatter ? skipped(snapshot.nodes) : []), ...skipped(snapshot.events), ...referrers.notes],
      entries,
      ...(snapshot.referrers ? { referencedBy: referrers.referencedBy } : {}),
    },
    findings,
    ports: selected.ports,
  };
}

function nodeAddresses(node: Node): string[] {
  const addresses = node.status?.addresses ?? [];
  const internal = addresses.filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.address);
  return internal.length > 0 ? internal : [node.metadata.name];
}

function nodePortEntries(port: ServicePort, nodes: Lookup<Node>): FrontendEntry[] {
  if (!port.nodePort) return [];
  const base = { kind: 'NodePort' as const, port: port.nodePort, protocol: port.protocol ?? 'TCP', servicePort: portLabel(port) };
  if ('skipped' in nodes) return [{ ...base, address: '<node-ip>' }];
  return nodes.items.flatMap((node) => nodeAddresses(node).map((address) => ({ ...base, address, node: node.metadata.name })));
}

function frontendEntries(snapshot: Snapshot, ports: ServicePort[]): FrontendEntry[] {
  const { service, nodes } = snapshot;
  const spec = service.spec;
  if (spec.type === 'ExternalName') {
    return [{ kind: 'ExternalName', address: spec.externalName ?? '<none>', port: null, protocol: '', servicePort: '' }];
  }
  const clusterIPs = isHeadless(service) ? [] : (spec.clusterIPs ?? [spec.clusterIP ?? unassigned]);
  const ingress = service.status?.loadBalancer?.ingress ?? [];
  return ports.flatMap((port) => {
    const common = { protocol: port.protocol ?? 'TCP', servicePort: portLabel(port) };
    return [
      ...clusterIPs.map((address) => ({ kind: 'ClusterIP' as const, address, port: port.port, ...common })),
      ...nodePortEntries(port, nodes),
      ...ingress.map((entry) => ({ kind: 'LoadBalancer' as const, address: entry.ip ?? entry.hostname ?? '<pending>', port: port.port, ...common })),
      ...(spec.externalIPs ?? []).map((address) => ({ kind: 'ExternalIP' as const, address, port: port.port, ...common })),
    ];
  });
}

function analyzeFrontend(snapshot: Snapshot, ports: ServicePort[], entries: FrontendEntry[]): Finding[] {
  const { service } = snapshot;
  const spec = service.spec;
  const ref = [serviceRef(service)];
  const findings: Finding[] = [];
  if (spec.type === 'LoadBalancer') {
    const pending = (service.status?.loadBalancer?.ingress ?? []).length === 0;
    if (pending && snapshot.source === 'cluster') {
      findings.push(
        spec.loadBalancerClass
          ? raise('loadbalancer-class-unhandled', { loadBalancerClass: spec.loadBalancerClass }, ref)
          : raise('loadbalancer-pending', {}, ref),
      );
    }
    if ((spec.loadBalancerSourceRanges ?? []).length > 0) {
      findings.push(raise('loadbalancer-source-ranges', { ranges: spec.loadBalancerSourceRanges! }, ref));
    }
  }
  // A nodePort left out of a manifest is assigned by the API server on creation.
  const nodePorts = ports.map((p) => `${p.nodePort ?? unassigned}/${p.protocol ?? 'TCP'}`);
  const allocates = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (allocates && nodePorts.length > 0) {
    findings.push(raise('nodeport-exposed', { ports: nodePorts }, ref));
  }
  if (snapshot.client.kind === 'external' && spec.type !== 'ExternalName') {
    const external = entries.filter((e) => e.kind !== 'ClusterIP');
    if (external.length === 0 && spec.type !== 'LoadBalancer') findings.push(raise('not-reachable-externally', { type: spec.type ?? 'ClusterIP' }, ref));
  }
  return findings;
}
