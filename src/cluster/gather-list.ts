// fetch → snapshots for list mode: one paginated list per resource kind for the whole namespace
// (or cluster), then every Service's snapshot is cut out of those lists — never a request set per Service.

import type { EndpointSlice, Event, Namespace, NetworkPolicy, Node, Pod, Service } from '../kube/types.js';
import type { Lookup, Referrers, Snapshot } from '../snapshot.js';
import { assembleSnapshot, nodesNeeded, type Found } from '../snapshot/assemble.js';
import { gatherReferrers } from './gather-referrers.js';
import type { Gateway } from './gateway.js';
import { namespaceLabels } from './client.js';
import { listEveryNamespace } from './every-namespace.js';
import { listFields } from './list-fields.js';
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
  const servicesListed = gateway.list<Service>(paths.services(namespace), {}, undefined, { fields: listFields.service });
  // NetworkPolicy namespaceSelectors need the namespaces' labels: the one namespace, or all of them.
  const namespacesListed: Promise<Lookup<Namespace>> = namespace
    ? namespaceLabels(gateway, namespace).then((labels) => ({ items: [{ metadata: { name: namespace, labels } }] }))
    : optional('namespaces', () => gateway.list<Namespace>(paths.namespaces(), {}, undefined, { fields: listFields.namespace }));
  const pods = { fields: listFields.pod };
  const [services, endpointSlices, podsListed, networkPolicies, events, namespaces, referrers, nodes] = await Promise.all([
    servicesListed,
    gateway.list<EndpointSlice>(paths.endpointSlices(namespace), {}, undefined, { fields: listFields.endpointSlice }),
    namespace ? gateway.list<Pod>(paths.pods(namespace), {}, undefined, pods) : listEveryNamespace<Pod>(gateway, paths.pods, namespacesListed, pods),
    optional('networkpolicies', () => gateway.list<NetworkPolicy>(paths.networkPolicies(namespace), {}, undefined, { fields: listFields.networkPolicy })),
    optional('events', () => gateway.list<Event>(paths.events(namespace), { fieldSelector: 'type=Warning' }, undefined, { fields: listFields.event })),
    namespacesListed,
    gatherReferrers(gateway, namespace),
    // NodePorts, local traffic policies and hand-made endpoints (the nodes' pod ranges) need the nodes:
    // listed as soon as the Services are known.
    servicesListed.then(
      (listed): Promise<Lookup<Node>> | Lookup<Node> =>
        listed.some((service) => nodesNeeded(service))
          ? optional('nodes', () => gateway.list<Node>(paths.nodes(), {}, undefined, { fields: listFields.node }))
          : { skipped: 'nodes not needed' },
    ),
  ]);
  return { services, endpointSlices, pods: podsListed, nodes, networkPolicies, events, namespaces, referrers };
}

const inNamespace = (namespace: string) => (object: { metadata: { namespace?: string } }) => object.metadata.namespace === namespace;

// What a lookup found in one namespace (a skipped lookup stays skipped).
const onlyIn =
  (namespace: string) =>
  <T extends { metadata: { namespace?: string } }>(lookup: Lookup<T>): Lookup<T> =>
    'items' in lookup ? { items: lookup.items.filter(inNamespace(namespace)) } : lookup;

function referrersIn(referrers: Referrers, namespace: string): Referrers {
  const only = onlyIn(namespace);
  return { ingresses: only(referrers.ingresses), httpRoutes: only(referrers.httpRoutes), grpcRoutes: only(referrers.grpcRoutes) };
}

// Pure: one Snapshot per Service, from the lists.
export function snapshotsFromLists(lists: ClusterLists): Snapshot[] {
  const namespaceLabels: Record<string, Record<string, string>> = {};
  for (const namespace of 'items' in lists.namespaces ? lists.namespaces.items : []) {
    namespaceLabels[namespace.metadata.name] = namespace.metadata.labels ?? {};
  }
  const byNamespaceAndName = (a: Service, b: Service) =>
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name);
  // What a namespace holds, cut out of the lists once per namespace, not once per Service (a cluster
  // has thousands of Services and tens of thousands of pods).
  const cuts = new Map<string, Omit<Found, 'service'>>();
  const cutOf = (namespace: string): Omit<Found, 'service'> => {
    let cut = cuts.get(namespace);
    if (cut === undefined) {
      const here = inNamespace(namespace);
      const podsHere = lists.pods.filter(here);
      const only = onlyIn(namespace);
      cut = {
        pods: podsHere,
        podsOfNamespace: { items: podsHere },
        endpointSlices: { items: lists.endpointSlices.filter(here) },
        nodes: lists.nodes,
        networkPolicies: only(lists.networkPolicies),
        ...(namespaceLabels[namespace] ? { namespaceLabels: { [namespace]: namespaceLabels[namespace] } } : {}),
        events: only(lists.events),
        ...(lists.referrers ? { referrers: referrersIn(lists.referrers, namespace) } : {}),
      };
      cuts.set(namespace, cut);
    }
    return cut;
  };
  return [...lists.services].sort(byNamespaceAndName).map((service) => assembleSnapshot('list', { service, ...cutOf(service.metadata.namespace ?? 'default') }));
}
