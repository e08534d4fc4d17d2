// fetch → snapshots for list mode: one paginated list per resource kind for the whole namespace
// (or cluster), then every Service's snapshot is cut out of those lists — never a request set per Service.

import type { EndpointSlice, Event, Namespace, NetworkPolicy, Node, Pod, Service } from '../kube/types.js';
import type { Lookup, Referrers, Snapshot } from '../snapshot.js';
import { assembleSnapshot, nodesNeeded } from '../snapshot/assemble.js';
import { gatherReferrers } from './gather-referrers.js';
import type { Gateway } from './gateway.js';
import { namespaceLabels } from './client.js';
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
  const [services, endpointSlices, pods, networkPolicies, events, namespaces, referrers] = await Promise.all([
    gateway.list<Service>(paths.services(namespace), {}, undefined, { fields: listFields.service }),
    gateway.list<EndpointSlice>(paths.endpointSlices(namespace), {}, undefined, { fields: listFields.endpointSlice }),
    gateway.list<Pod>(paths.pods(namespace), {}, undefined, { fields: listFields.pod }),
    optional('networkpolicies', () => gateway.list<NetworkPolicy>(paths.networkPolicies(namespace), {}, undefined, { fields: listFields.networkPolicy })),
    optional('events', () => gateway.list<Event>(paths.events(namespace), { fieldSelector: 'type=Warning' }, undefined, { fields: listFields.event })),
    // NetworkPolicy namespaceSelectors need the namespaces' labels: the one namespace, or all of them.
    namespace
      ? namespaceLabels(gateway, namespace).then((labels) => ({ items: [{ metadata: { name: namespace, labels } }] }))
      : optional('namespaces', () => gateway.list<Namespace>(paths.namespaces(), {}, undefined, { fields: listFields.namespace })),
    gatherReferrers(gateway, namespace),
  ]);
  // NodePorts, local traffic policies and hand-made endpoints (the nodes' pod ranges) need the nodes.
  const nodesMatter = services.some((service) => nodesNeeded(service));
  const nodes = nodesMatter ? await optional('nodes', () => gateway.list<Node>(paths.nodes(), {}, undefined, { fields: listFields.node })) : { skipped: 'nodes not needed' };
  return { services, endpointSlices, pods, nodes, networkPolicies, events, namespaces, referrers };
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
  return [...lists.services].sort(byNamespaceAndName).map((service) => {
    const namespace = service.metadata.namespace ?? 'default';
    const here = inNamespace(namespace);
    const podsHere = lists.pods.filter(here);
    const only = onlyIn(namespace);
    return assembleSnapshot('list', {
      service,
      pods: podsHere,
      podsOfNamespace: { items: podsHere },
      endpointSlices: { items: lists.endpointSlices.filter(here) },
      nodes: lists.nodes,
      networkPolicies: only(lists.networkPolicies),
      ...(namespaceLabels[namespace] ? { namespaceLabels: { [namespace]: namespaceLabels[namespace] } } : {}),
      events: only(lists.events),
      ...(lists.referrers ? { referrers: referrersIn(lists.referrers, namespace) } : {}),
    });
  });
}
