// The one place a Snapshot is put together. Every source only finds objects — the live gatherer of one
// Service (src/cluster/gather.ts), the live list of a namespace (src/cluster/gather-list.ts), manifests
// (src/cluster/offline.ts), the expose preview (src/expose/preview.ts) — and hands them here. The rules
// are written once: which pods the selector selects, near misses only when it selects none, an
// ExternalName Service selects nothing, which lookups were skipped and why, and which client a trace
// starts from when none was named. Pure: no I/O.

import { matchesLabels } from '../kube/labels.js';
import type { EndpointSlice, Event, NetworkPolicy, Node, Pod, Service } from '../kube/types.js';
import type { Client, ClusterDns, CustomResourceRef, KubeProxy, Lookup, NameResolution, Referrers, Snapshot } from '../snapshot.js';

// Where the objects were found: the API server (one Service, or a whole namespace's lists), manifests
// (-f), or the cluster for a Service that does not exist yet (expose's preview).
export type Origin = 'cluster' | 'list' | 'manifests' | 'preview';

export const clusterDomain = 'cluster.local';

// What is known of a namespace's labels without reading it: the one the API server always sets.
export const defaultNamespaceLabels = (namespace: string): Record<string, string> => ({ 'kubernetes.io/metadata.name': namespace });

// Why a lookup holds nothing, in the words the trace shows.
export const skipReasons = {
  nodesNotNeeded: 'nodes not needed for this Service',
  notExternalName: 'not an ExternalName Service',
  dnsInListMode: 'DNS is not resolved in list mode',
  offline: {
    endpointSlices: 'offline: EndpointSlices exist only in a cluster',
    nodes: 'offline: Nodes exist only in a cluster',
    events: 'offline: Events exist only in a cluster',
    dns: 'offline: DNS is not resolved',
  },
  preview: {
    endpointSlices: 'preview: the Service does not exist yet, so it has no EndpointSlices',
    events: 'preview: no events before the Service exists',
  },
} as const;

// What a source found for one Service. A lookup left out was not made (the rules say why).
export interface Found {
  service: Service;
  // Pods of the Service's namespace: all of them (lists, manifests), or only those a server-side
  // labelSelector returned (live). The rules pick the ones the selector selects.
  pods: Pod[];
  // Live, read apart when nothing is selected (see needsNearMisses): the namespace's pods, labels only.
  // Otherwise the near misses come from `pods`.
  nearMissPods?: Pod[];
  // Every pod of the namespace, for a hand-made EndpointSlice's endpoints (see needsPodsOfNamespace).
  podsOfNamespace?: Lookup<Pod>;
  // Manifests: the custom resources whose operator may make the pods, when nothing is selected.
  podsFromCustomResources?: CustomResourceRef[];
  // Any EndpointSlices found: those labelled for the Service count.
  endpointSlices?: Lookup<EndpointSlice>;
  nodes?: Lookup<Node>;
  networkPolicies: Lookup<NetworkPolicy>;
  // Labels of the namespaces known to the source; the Service's and the client's are added.
  namespaceLabels?: Record<string, Record<string, string>>;
  events?: Lookup<Event>;
  // Absent: a generic pod of the Service's namespace.
  client?: Client;
  // The ExternalName target's resolution (live, for an ExternalName Service only).
  externalName?: NameResolution;
  clusterDns?: { found: ClusterDns } | { skipped: string };
  kubeProxy?: KubeProxy | { skipped: string };
  referrers?: Referrers;
}

// --- the rules, also read by the live sources to decide what to fetch ---

// A Service selects pods when its selector has a label and it is not an ExternalName alias (whose
// selector, if any, the EndpointSlice controller ignores).
export function selectsPods(service: Service): boolean {
  return Object.keys(service.spec.selector ?? {}).length > 0 && service.spec.type !== 'ExternalName';
}

// A Service without selector (or with an empty one), not an alias: its EndpointSlices are made by hand,
// and are checked against the namespace's pods and the nodes' pod ranges.
export function isHandMade(service: Service): boolean {
  return !selectsPods(service) && service.spec.type !== 'ExternalName';
}

// The nodes count for node ports, a local traffic policy, a client on a node, and hand-made endpoints.
export function nodesNeeded(service: Service, client?: Client): boolean {
  const spec = service.spec;
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.internalTrafficPolicy === 'Local' || client?.kind === 'node' || isHandMade(service);
}

// Near misses (the label sets that almost match) are looked for only when the selector selects nothing.
export function needsNearMisses(service: Service, selected: Pod[]): boolean {
  return selectsPods(service) && selected.length === 0;
}

export function needsPodsOfNamespace(service: Service, endpointSlices: EndpointSlice[]): boolean {
  return isHandMade(service) && endpointSlices.some((slice) => (slice.endpoints ?? []).length > 0);
}

// The namespaces whose NetworkPolicies count: the Service's, and the client's when it differs.
export function policyNamespaces(service: Service, client: Client): string[] {
  const namespace = service.metadata.namespace ?? 'default';
  return [...new Set([namespace, client.kind === 'pod' ? (client.pod.metadata.namespace ?? namespace) : namespace])];
}

export const genericClient = (namespace: string, namespaceLabels: Record<string, string>): Client => ({ kind: 'generic', namespace, namespaceLabels });

// --- the assembly ---

export function assembleSnapshot(origin: Origin, found: Found): Snapshot {
  const { service } = found;
  const namespace = service.metadata.namespace ?? 'default';
  const here = <T extends { metadata: { namespace?: string } }>(object: T) => (object.metadata.namespace ?? namespace) === namespace;
  const offline = origin === 'manifests';
  // Offline, an object absent from the manifests proves nothing about a cluster: skipped, not empty.
  const lookup = <T>(given: Lookup<T> | undefined, reason: string): Lookup<T> =>
    !given || (offline && 'items' in given && given.items.length === 0) ? { skipped: reason } : given;

  const selector = service.spec.selector ?? {};
  const podsHere = found.pods.filter(here);
  const pods = selectsPods(service) ? podsHere.filter((pod) => matchesLabels(selector, pod.metadata.labels)) : [];
  const nearMisses = needsNearMisses(service, pods);
  const endpointSlices = lookup(
    found.endpointSlices && 'items' in found.endpointSlices
      ? { items: found.endpointSlices.items.filter((slice) => here(slice) && slice.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name) }
      : found.endpointSlices,
    origin === 'preview' ? skipReasons.preview.endpointSlices : skipReasons.offline.endpointSlices,
  );
  const podsOfNamespace = found.podsOfNamespace && needsPodsOfNamespace(service, 'items' in endpointSlices ? endpointSlices.items : []) ? found.podsOfNamespace : undefined;
  const podsFromCustomResources = nearMisses ? (found.podsFromCustomResources ?? []) : [];

  const labelsOf = (ns: string) => found.namespaceLabels?.[ns] ?? defaultNamespaceLabels(ns);
  const client = found.client ?? genericClient(namespace, labelsOf(namespace));
  const namespaceLabels = { [namespace]: labelsOf(namespace), ...found.namespaceLabels };
  if (client.kind === 'pod') namespaceLabels[client.pod.metadata.namespace ?? namespace] = client.namespaceLabels;
  if (client.kind === 'generic') namespaceLabels[client.namespace] = client.namespaceLabels;

  const unresolved = offline ? skipReasons.offline.dns : origin === 'list' ? skipReasons.dnsInListMode : skipReasons.notExternalName;
  return {
    source: offline ? 'manifests' : 'cluster',
    service,
    endpointSlices,
    pods,
    otherPods: nearMisses ? (found.nearMissPods ?? podsHere) : [],
    ...(podsFromCustomResources.length > 0 ? { podsFromCustomResources } : {}),
    ...(podsOfNamespace ? { podsOfNamespace } : {}),
    nodes: lookup(found.nodes, offline ? skipReasons.offline.nodes : skipReasons.nodesNotNeeded),
    networkPolicies: found.networkPolicies,
    namespaceLabels,
    events: lookup(found.events, origin === 'preview' ? skipReasons.preview.events : skipReasons.offline.events),
    client,
    externalName: found.externalName && service.spec.type === 'ExternalName' ? found.externalName : { skipped: unresolved },
    clusterDomain,
    ...(found.referrers ? { referrers: found.referrers } : {}),
    ...(found.clusterDns ? { clusterDns: found.clusterDns } : {}),
    ...(found.kubeProxy ? { kubeProxy: found.kubeProxy } : {}),
  };
}
