// fetch → snapshots for list mode: one paginated list per resource kind for the whole namespace
// (or cluster), then every Service's snapshot is cut out of those lists — never a request set per Service.

import { matchesLabels } from '../kube/labels.js';
import type { EndpointSlice, Event, Namespace, NetworkPolicy, Node, Pod, Service } from '../kube/types.js';
import type { Lookup, Referrers, Snapshot } from '../snapshot.js';
import { gatherReferrers } from './gather-referrers.js';
import type { Gateway } from './gateway.js';
import { namespaceLabels } from './client.js';
import { optional, paths } from './lookups.js';

export interface ClusterLists {
  services: Service[];
  endpointSlices: EndpointSlice[];
  pods: Pod[];
  nodes: Lookup<Node>;
  networkPolicies: Lookup<NetworkPolicy>;
  events: Lookup<Event>;
  namespaces: Lookup<Namespace>;
  referrers?: Referrers; // Ingresses and routes, which may send to the Services
}

export async function gatherLists(gateway: Gateway, namespace: string | undefined): Promise<ClusterLists> {
  const [services, endpointSlices, pods, networkPolicies, events, namespaces, referrers] = await Promise.all([
    gateway.list<Service>(paths.services(namespace)),
    gateway.list<EndpointSlice>(paths.endpointSlices(namespace)),
    gateway.list<Pod>(paths.pods(namespace)),
    optional('networkpolicies', () => gateway.list<NetworkPolicy>(paths.networkPolicies(namespace))),
    optional('events', () => gateway.list<Event>(paths.events(namespace), { fieldSelector: 'type=Warning' })),
    // NetworkPolicy namespaceSelectors need the namespaces' labels: the one namespace, or all of them.
    namespace
      ? namespaceLabels(gateway, namespace).then((labels) => ({ items: [{ metadata: { name: namespace, labels } }] }))
      : optional('namespaces', () => gateway.list<Namespace>(paths.namespaces())),
    gatherReferrers(gateway, namespace),
  ]);
  // Services without selector need the nodes' pod ranges to tell stale hand-made endpoints.
  const nodesMatter = services.some(
    (s) =>
      s.spec.type === 'NodePort' ||
      s.spec.type === 'LoadBalancer' ||
      s.spec.internalTrafficPolicy === 'Local' ||
      (s.spec.type !== 'ExternalName' && Object.keys(s.spec.selector ?? {}).length === 0),
  );
  const nodes = nodesMatter ? await optional('nodes', () => gateway.list<Node>(paths.nodes())) : { skipped: 'nodes not needed' };
  return { services, endpointSlices, pods, nodes, networkPolicies, events, namespaces, referrers };
}

function referrersIn(referrers: Referrers, namespace: string): Referrers {
  const only = <T extends { metadata: { namespace?: string } }>(lookup: Lookup<T>): Lookup<T> =>
    'items' in lookup ? { items: lookup.items.filter(inNamespace(namespace)) } : lookup;
  return { ingresses: only(referrers.ingresses), httpRoutes: only(referrers.httpRoutes), grpcRoutes: only(referrers.grpcRoutes) };
}

const inNamespace = (namespace: string) => (object: { metadata: { namespace?: string } }) => object.metadata.namespace === namespace;

// Pure: one Snapshot per Service, from the lists.
export function snapshotsFromLists(lists: ClusterLists): Snapshot[] {
  const namespaceLabels: Record<string, Record<string, string>> = {};
  for (const namespace of 'items' in lists.namespaces ? lists.namespaces.items : []) {
    namespaceLabels[namespace.metadata.name] = namespace.metadata.labels ?? {};
  }
  const byNamespaceAndName = (a: Service, b: Service) =>
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name);
  return [...lists.services].sort(byNamespaceAndName).map((service) => {
    const namespace = service.metadata.namespace ?? 'default';
    const name = service.metadata.name;
    const selector = service.spec.selector ?? {};
    const podsHere = lists.pods.filter(inNamespace(namespace));
    const selects = Object.keys(selector).length > 0 && service.spec.type !== 'ExternalName';
    const pods = selects ? podsHere.filter((pod) => matchesLabels(selector, pod.metadata.labels)) : [];
    const labels = namespaceLabels[namespace] ?? { 'kubernetes.io/metadata.name': namespace };
    return {
      source: 'cluster',
      service,
      endpointSlices: {
        items: lists.endpointSlices.filter((s) => inNamespace(namespace)(s) && s.metadata.labels?.['kubernetes.io/service-name'] === name),
      },
      pods,
      otherPods: selects && pods.length === 0 ? podsHere : [],
      ...(!selects && service.spec.type !== 'ExternalName' ? { podsOfNamespace: { items: podsHere } } : {}),
      nodes: lists.nodes,
      networkPolicies: 'items' in lists.networkPolicies ? { items: lists.networkPolicies.items.filter(inNamespace(namespace)) } : lists.networkPolicies,
      namespaceLabels: { [namespace]: labels },
      events: 'items' in lists.events ? { items: lists.events.items.filter((e) => e.metadata.namespace === namespace) } : lists.events,
      client: { kind: 'generic', namespace, namespaceLabels: labels },
      externalName: { skipped: 'DNS is not resolved in list mode' },
      clusterDomain: 'cluster.local',
      ...(lists.referrers ? { referrers: referrersIn(lists.referrers, namespace) } : {}),
    } satisfies Snapshot;
  });
}
