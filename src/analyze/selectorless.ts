// The EndpointSlices of a Service without selector are made by hand, and nothing keeps them right:
// endpoints that point at pods that are gone (stale-endpoint), and slice ports that kube-proxy cannot
// pair with the Service's ports, which it does by name (endpoint-port-name-mismatch).

import { ipInCidr } from '../kube/ip.js';
import type { EndpointSlice, Pod, ServicePort } from '../kube/types.js';
import { lookupItems, type Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import type { Finding } from './model.js';
import { refOf, serviceRef } from './refs.js';
import { hasSelector } from './selector.js';

export function analyzeSelectorless(snapshot: Snapshot, ports: ServicePort[]): Finding[] {
  if (hasSelector(snapshot) || snapshot.service.spec.type === 'ExternalName' || 'skipped' in snapshot.endpointSlices) return [];
  const slices = snapshot.endpointSlices.items.filter((slice) => (slice.endpoints ?? []).length > 0);
  if (slices.length === 0) return [];
  return [...portNameFindings(snapshot, slices, ports), ...staleFindings(snapshot, slices)];
}

const addressesOf = (pod: Pod): string[] =>
  [...new Set([pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((entry) => entry.ip)].filter((ip): ip is string => Boolean(ip)))];

const portName = (name: string | undefined | null) => name ?? '';

// kube-proxy keys a slice's endpoints by the slice port's name and looks them up by the Service port's.
function portNameFindings(snapshot: Snapshot, slices: EndpointSlice[], ports: ServicePort[]): Finding[] {
  return ports.flatMap((servicePort) => {
    const lacking = slices.filter((slice) => !(slice.ports ?? []).some((port) => portName(port.name) === portName(servicePort.name)));
    if (lacking.length === 0) return [];
    const all = lacking.length === slices.length;
    const slicePorts = [...new Set(lacking.flatMap((slice) => (slice.ports ?? []).map((port) => (port.name ? port.name : '<unnamed>'))))];
    return [
      raise(
        'endpoint-port-name-mismatch',
        { servicePort: servicePort.name ? servicePort.name : '<unnamed>', slicePorts: slicePorts.length > 0 ? slicePorts : ['<none>'], all },
        [serviceRef(snapshot.service), ...lacking.map((slice) => refOf('EndpointSlice', slice))],
        all ? 'error' : 'warning',
      ),
    ];
  });
}

// An endpoint is stale when its targetRef names a pod that does not exist (or that has another address
// now), or when its address lies in a node's pod range and no pod has it. An address outside every pod
// range (a database VM, an external IP) is not a pod's to lose, and is never called stale.
function staleFindings(snapshot: Snapshot, slices: EndpointSlice[]): Finding[] {
  const lookup = snapshot.podsOfNamespace;
  if (!lookup || 'skipped' in lookup) return [];
  const namespace = snapshot.service.metadata.namespace ?? 'default';
  const pods = lookup.items;
  const podAddresses = new Set(pods.flatMap(addressesOf));
  const podRanges = lookupItems(snapshot.nodes).flatMap((node) => node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : []));
  const stale: string[] = [];
  let total = 0;
  for (const endpoint of slices.flatMap((slice) => slice.endpoints ?? [])) {
    total += 1;
    const address = endpoint.addresses[0] ?? '';
    const reference = endpoint.targetRef;
    if (reference?.kind === 'Pod' && reference.name && (reference.namespace ?? namespace) === namespace) {
      const pod = pods.find((candidate) => candidate.metadata.name === reference.name);
      if (!pod) stale.push(`${address} (pod ${reference.name} does not exist)`);
      else if (reference.uid && pod.metadata.uid && reference.uid !== pod.metadata.uid) stale.push(`${address} (pod ${reference.name} was recreated)`);
      else if (addressesOf(pod).length > 0 && !endpoint.addresses.some((a) => addressesOf(pod).includes(a))) {
        stale.push(`${address} (pod ${reference.name} has ${addressesOf(pod).join(', ')})`);
      }
    } else if (!reference && podRanges.some((range) => ipInCidr(address, range)) && !podAddresses.has(address)) {
      stale.push(`${address} (in the pod network, and no pod has it)`);
    }
  }
  if (stale.length === 0) return [];
  const all = stale.length === total;
  return [raise('stale-endpoint', { endpoints: stale, all }, [serviceRef(snapshot.service), ...slices.map((slice) => refOf('EndpointSlice', slice))], all ? 'error' : 'warning')];
}
