// The frontend hop: the addresses a client connects to — ClusterIP:port, every nodeIP:nodePort,
// LoadBalancer ingress, externalIPs, or the ExternalName target — and the findings about them.

import type { Node, Service, ServicePort } from '../kube/types.js';
import type { Lookup, Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import type { Finding, FrontendEntry } from './model.js';
import { serviceRef } from './refs.js';
import { portLabel } from './service-ports.js';

// A manifest leaves the ClusterIP to the API server, which assigns it on creation.
export const unassigned = '<unassigned>';

export function isHeadless(service: Service): boolean {
  return service.spec.clusterIP === 'None';
}

export function nodeAddresses(node: Node): string[] {
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

export function frontendEntries(snapshot: Snapshot, ports: ServicePort[]): FrontendEntry[] {
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

export function analyzeFrontend(snapshot: Snapshot, ports: ServicePort[], entries: FrontendEntry[]): Finding[] {
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
