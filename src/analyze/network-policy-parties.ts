// The two ends of a connection as NetworkPolicy peers see them: labels, namespace labels, the
// addresses of the traffic's IP family, and what stays unknown about them. Pure.

import type { Labels } from '../kube/labels.js';
import { parseIp, type IpFamily } from '../kube/ip.js';
import type { Node, Pod } from '../kube/types.js';
import type { Client } from '../snapshot.js';

export interface Party {
  description: string;
  // What podSelector/namespaceSelector look at; absent for host and outside traffic.
  pod?: { labels: Labels; namespace: string; namespaceLabels: Labels; hostNetwork: boolean };
  addresses?: string[]; // of the traffic's IP family; absent: not known
  family?: IpFamily; // of the traffic, when the destination address tells it
  unknown: { via: string; because: string }; // why a rule could only possibly admit it
}

export function clientParty(client: Client, namespaceLabels: Record<string, Labels>, family: IpFamily | undefined): Party {
  switch (client.kind) {
    case 'pod': {
      const pod = client.pod;
      const namespace = namespaceOf(pod);
      const hostNetwork = pod.spec.hostNetwork === true;
      return {
        description: `pod ${pod.metadata.name} in namespace ${namespace}`,
        pod: {
          labels: pod.metadata.labels ?? {},
          namespace,
          namespaceLabels: labelsOfNamespace(namespace, namespaceLabels[namespace] ?? client.namespaceLabels),
          hostNetwork,
        },
        addresses: ofFamily(podAddresses(pod), family),
        family,
        unknown: hostNetwork
          ? { via: 'a pod selector rule', because: 'it uses the host network, where the network plugin decides whether pod selectors apply' }
          : { via: 'an ipBlock rule', because: 'its pod IP is not known' },
      };
    }
    case 'generic':
      return {
        description: `an unlabelled pod in namespace ${client.namespace}`,
        pod: {
          labels: {},
          namespace: client.namespace,
          namespaceLabels: labelsOfNamespace(client.namespace, namespaceLabels[client.namespace] ?? client.namespaceLabels),
          hostNetwork: false,
        },
        family,
        unknown: { via: 'an ipBlock rule', because: 'its pod IP is not known' },
      };
    case 'node': {
      const addresses = ofFamily(client.node ? nodeAddresses(client.node) : undefined, family);
      return {
        description: `node ${client.name}${addresses ? ` (${addresses.join(', ')})` : ''}`,
        addresses,
        family,
        unknown: { via: 'an ipBlock rule', because: "the node's IP is not known" },
      };
    }
    case 'external':
      return {
        description: 'a client outside the cluster',
        family,
        unknown: { via: 'an ipBlock rule', because: 'its source IP is not known' },
      };
  }
}

// `address`: the endpoint address the traffic goes to, else the pod's own addresses count.
export function backendParty(backend: Pod, address: string | undefined, namespaceLabels: Record<string, Labels>, family: IpFamily | undefined): Party {
  const namespace = namespaceOf(backend);
  const hostNetwork = backend.spec.hostNetwork === true;
  const known = address ? [address] : podAddresses(backend);
  return {
    description: `pod ${backend.metadata.name} in namespace ${namespace}`,
    pod: {
      labels: backend.metadata.labels ?? {},
      namespace,
      namespaceLabels: labelsOfNamespace(namespace, namespaceLabels[namespace]),
      hostNetwork,
    },
    addresses: ofFamily(known, family),
    family,
    unknown: hostNetwork
      ? { via: 'a pod selector rule', because: 'it uses the host network, where the network plugin decides whether pod selectors apply' }
      : { via: 'an ipBlock rule', because: 'its pod IP is not known' },
  };
}

// The API server always sets kubernetes.io/metadata.name to the namespace's name.
export function labelsOfNamespace(name: string, labels: Labels | undefined): Labels {
  return { ...labels, 'kubernetes.io/metadata.name': name };
}

function podAddresses(pod: Pod): string[] | undefined {
  const listed = (pod.status?.podIPs ?? []).map(({ ip }) => ip);
  const addresses = listed.length > 0 ? listed : pod.status?.podIP ? [pod.status.podIP] : [];
  return addresses.length > 0 ? addresses : undefined;
}

// Host traffic leaves a node from its InternalIP.
function nodeAddresses(node: Node): string[] | undefined {
  const internal = (node.status?.addresses ?? []).filter(({ type }) => type === 'InternalIP').map(({ address }) => address);
  return internal.length > 0 ? internal : undefined;
}

// A connection uses one IP family: only the addresses of that family can match an ipBlock.
function ofFamily(addresses: string[] | undefined, family: IpFamily | undefined): string[] | undefined {
  const matching = (addresses ?? []).filter((address) => family === undefined || parseIp(address)?.family === family);
  return matching.length > 0 ? matching : undefined;
}

export function namespaceOf(object: { metadata: { namespace?: string } }): string {
  return object.metadata.namespace ?? 'default';
}
