// Offline mode's snapshot builder: the same Snapshot the cluster gatherer makes, from manifests.
// Workload templates stand for the pods they would create ("would-be pods"); what only a running
// cluster knows (endpoints, nodes, events, DNS) is skipped with the reason, unless the manifests
// hold it (a hand-made EndpointSlice or Endpoints, a `kubectl get -o yaml` dump of nodes or events).

import { notFoundError } from '../errors.js';
import { matchesLabels } from '../kube/labels.js';
import type { EndpointSlice, Event, KubeObject, NetworkPolicy, Node, Pod, Protocol, Service, Workload } from '../kube/types.js';
import type { ClientReference } from '../kube/client-reference.js';
import type { CustomResourceRef, Referrers, Snapshot } from '../snapshot.js';
import { assembleSnapshot, selectsPods } from '../snapshot/assemble.js';
import { withEndpointSliceDefaults, withPortProtocol, withServiceDefaults } from './manifest-defaults.js';
import { offlineClient } from './offline-client.js';
import { offlineReferrers } from './offline-entry.js';
import { asSelectedBy, podsOf, workloadKinds } from './would-be-pods.js';
import { editDistance } from '../kube/names.js';

export type OfflineScope = { namespace: string } | { allNamespaces: true; defaultNamespace?: string };

const serviceNameLabel = 'kubernetes.io/service-name';
const namespaceNameLabel = 'kubernetes.io/metadata.name';

// The snapshot of one Service. Objects without metadata.namespace are in target.namespace
// (the -n value, else `default`), where `kubectl apply -n` would put them.
export function offlineSnapshot(objects: KubeObject[], target: { namespace: string; name: string; client?: ClientReference }): Snapshot {
  const manifests = indexManifests(objects, target.namespace);
  const service = manifests.services.find(
    (candidate) => candidate.metadata.namespace === target.namespace && candidate.metadata.name === target.name,
  );
  if (!service) throw serviceNotFound(manifests.services, target);
  return snapshotOf(service, manifests, target.client);
}

// One snapshot per Service in scope (list mode), sorted by namespace then name as kubectl lists them.
export function offlineServices(objects: KubeObject[], scope: OfflineScope): Snapshot[] {
  const defaultNamespace = 'namespace' in scope ? scope.namespace : (scope.defaultNamespace ?? 'default');
  const manifests = indexManifests(objects, defaultNamespace);
  return manifests.services
    .filter((service) => !('namespace' in scope) || service.metadata.namespace === scope.namespace)
    .sort((a, b) => compare(a.metadata.namespace!, b.metadata.namespace!) || compare(a.metadata.name, b.metadata.name))
    .map((service) => snapshotOf(service, manifests));
}

// --- the manifests, sorted by what the snapshot needs ---

interface Manifests {
  services: Service[];
  pods: Pod[]; // bare Pods and would-be pods
  endpointSlices: EndpointSlice[];
  endpoints: Endpoints[];
  nodes: Node[];
  networkPolicies: NetworkPolicy[];
  events: Event[];
  namespaceLabels: Record<string, Record<string, string>>;
  referrers: Referrers; // Ingresses and routes (src/cluster/offline-entry.ts)
  workloads: Workload[]; // that a --from client may name
  customResources: KubeObject[]; // objects of API groups that Kubernetes does not define (an operator's)
}

// core/v1 Endpoints, which hand-written manifests of selector-less Services still use.
interface Endpoints extends KubeObject {
  subsets?: Array<{
    addresses?: EndpointAddress[];
    notReadyAddresses?: EndpointAddress[];
    ports?: Array<{ name?: string; port: number; protocol?: Protocol; appProtocol?: string }>;
  }>;
}

interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
}

// API groups each kind is read from (old beta groups included: dumps of old clusters still have them).
// A kind from another group (a Knative `Service`, say) is somebody else's resource and is ignored.
const groupsOf = new Map<string, string[]>([
  ['Service', ['']],
  ['Pod', ['']],
  ['Endpoints', ['']],
  ['Node', ['']],
  ['Namespace', ['']],
  ['Event', ['']],
  ['ReplicationController', ['']],
  ['EndpointSlice', ['discovery.k8s.io']],
  ['NetworkPolicy', ['networking.k8s.io', 'extensions']],
  ['Deployment', ['apps', 'extensions']],
  ['ReplicaSet', ['apps', 'extensions']],
  ['DaemonSet', ['apps', 'extensions']],
  ['StatefulSet', ['apps']],
  ['Job', ['batch']],
  ['CronJob', ['batch']],
]);

const clusterScopedKinds = new Set(['Node', 'Namespace']);

function indexManifests(objects: KubeObject[], defaultNamespace: string): Manifests {
  const known = knownObjects(objects, defaultNamespace);
  const ofKind = <T extends KubeObject>(kind: string) => known.filter((object) => object.kind === kind) as T[];
  return {
    services: ofKind<Service>('Service').map(withServiceDefaults),
    pods: podsOf(known),
    endpointSlices: ofKind<EndpointSlice>('EndpointSlice').map(withEndpointSliceDefaults),
    endpoints: ofKind<Endpoints>('Endpoints'),
    nodes: ofKind<Node>('Node'),
    networkPolicies: ofKind<NetworkPolicy>('NetworkPolicy'),
    events: ofKind<Event>('Event'),
    namespaceLabels: namespaceLabelsOf(objects, known, defaultNamespace),
    referrers: offlineReferrers(objects, defaultNamespace),
    workloads: known.filter((object) => workloadKinds.includes(object.kind!)) as Workload[],
    customResources: objects
      .filter((object) => isCustomResource(object))
      .map((object) => ({ ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? defaultNamespace } })),
  };
}

// API groups that Kubernetes itself serves, and the Gateway API (read as entries; it makes no backend
// pods); an object of any other group is a custom resource.
const kubernetesGroups = new Set(
  ['apiextensions', 'apiregistration', 'admissionregistration', 'authentication', 'authorization', 'certificates', 'coordination', 'discovery', 'events', 'flowcontrol.apiserver', 'gateway.networking', 'internal.apiserver', 'metrics', 'networking', 'node', 'policy', 'rbac.authorization', 'resource', 'scheduling', 'storage', 'storagemigration'].map((group) => `${group}.k8s.io`),
);

function isCustomResource(object: KubeObject): boolean {
  const group = groupOf(object.apiVersion);
  return group.includes('.') && !kubernetesGroups.has(group);
}

// The objects of the kinds above, each in its namespace. An object given twice (the same file
// passed twice, a base and an overlay) counts once, the last one winning, as with `kubectl apply`.
function knownObjects(objects: KubeObject[], defaultNamespace: string): KubeObject[] {
  const byIdentity = new Map<string, KubeObject>();
  for (const object of objects) {
    const groups = groupsOf.get(object.kind ?? '');
    if (!groups?.includes(groupOf(object.apiVersion))) continue;
    const placed = clusterScopedKinds.has(object.kind!)
      ? object
      : { ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? defaultNamespace } };
    const identity = `${object.kind}/${placed.metadata.namespace ?? ''}/${placed.metadata.name}`;
    byIdentity.delete(identity);
    byIdentity.set(identity, placed);
  }
  return [...byIdentity.values()];
}

// Every namespace the manifests mention, labelled as the API server labels it
// (kubernetes.io/metadata.name, over whatever a Namespace manifest says), plus that manifest's labels.
function namespaceLabelsOf(objects: KubeObject[], known: KubeObject[], defaultNamespace: string): Record<string, Record<string, string>> {
  const labels: Record<string, Record<string, string>> = {};
  for (const namespace of [defaultNamespace, ...objects.map((object) => object.metadata?.namespace)]) {
    if (typeof namespace === 'string') labels[namespace] = { [namespaceNameLabel]: namespace };
  }
  for (const namespace of known.filter((object) => object.kind === 'Namespace')) {
    labels[namespace.metadata.name] = { ...namespace.metadata.labels, [namespaceNameLabel]: namespace.metadata.name };
  }
  return labels;
}

function groupOf(apiVersion: string | undefined): string {
  return apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

// --- one Service's snapshot ---

function snapshotOf(service: Service, manifests: Manifests, client: ClientReference = { kind: 'generic' }): Snapshot {
  const namespace = service.metadata.namespace!;
  const selector = service.spec.selector ?? {};
  const endpointSlices = endpointSlicesOf(service, manifests);
  const sliceNames = new Set(endpointSlices.map((slice) => slice.metadata.name));
  const events = manifests.events.filter(
    (event) =>
      (event.involvedObject?.namespace ?? event.metadata.namespace) === namespace &&
      ((event.involvedObject?.kind === 'Service' && event.involvedObject.name === service.metadata.name) ||
        (event.involvedObject?.kind === 'EndpointSlice' && sliceNames.has(event.involvedObject.name ?? ''))),
  );
  return assembleSnapshot('manifests', {
    service,
    pods: manifests.pods.filter((pod) => pod.metadata.namespace === namespace).map((pod) => asSelectedBy(pod, selector)),
    ...(selectsPods(service) ? { podsFromCustomResources: customResourcesFor(selector, namespace, manifests) } : {}),
    endpointSlices: { items: endpointSlices },
    nodes: { items: manifests.nodes },
    networkPolicies: { items: manifests.networkPolicies },
    namespaceLabels: manifests.namespaceLabels,
    events: { items: events },
    client: offlineClient(client, namespace, manifests),
    referrers: manifests.referrers,
  });
}

// The custom resources of the namespace whose operator may create the pods a selector wants, most likely
// first: one whose spec holds a label map with every pair of the selector (`spec.podMetadata.labels` of a
// Prometheus), else one whose name is a value of the selector (`alertmanager: main`), else all of them.
function customResourcesFor(selector: Record<string, string>, namespace: string, manifests: Manifests): CustomResourceRef[] {
  const here = manifests.customResources.filter((object) => object.metadata.namespace === namespace);
  const values = new Set(Object.values(selector));
  const carriesLabels = here.filter((object) => labelMapsIn((object as { spec?: unknown }).spec).some((labels) => matchesLabels(selector, labels)));
  const named = here.filter((object) => values.has(object.metadata.name));
  const [likely, via] = carriesLabels.length > 0 ? [carriesLabels, 'labels' as const] : named.length > 0 ? [named, 'name' as const] : [here, 'namespace' as const];
  return likely.map((object) => ({ kind: object.kind!, name: object.metadata.name, namespace, via }));
}

// Every mapping of strings to strings inside a value (label maps look like that), selectors left out:
// a ServiceMonitor's selector picks Services, it makes no pods.
function labelMapsIn(value: unknown, depth = 0): Array<Record<string, string>> {
  if (typeof value !== 'object' || value === null || depth > 8) return [];
  const values = Object.values(value);
  const own = !Array.isArray(value) && values.length > 0 && values.every((entry) => typeof entry === 'string') ? [value as Record<string, string>] : [];
  const nested = Object.entries(value).filter(([key]) => !/^(selector|matchLabels)$|Selector$/.test(key));
  return [...own, ...nested.flatMap(([, entry]) => labelMapsIn(entry, depth + 1))];
}

// The Service's own EndpointSlices; for a selector-less Service with a hand-made Endpoints object
// and no slice, the slices the EndpointSlice mirroring controller would make from it.
function endpointSlicesOf(service: Service, manifests: Manifests): EndpointSlice[] {
  const { name, namespace } = service.metadata;
  const slices = manifests.endpointSlices.filter(
    (slice) => slice.metadata.namespace === namespace && slice.metadata.labels?.[serviceNameLabel] === name,
  );
  if (slices.length > 0 || Object.keys(service.spec.selector ?? {}).length > 0) return slices;
  const endpoints = manifests.endpoints.find((candidate) => candidate.metadata.namespace === namespace && candidate.metadata.name === name);
  return endpoints ? mirroredSlices(endpoints) : [];
}

function mirroredSlices(endpoints: Endpoints): EndpointSlice[] {
  const slices: EndpointSlice[] = [];
  for (const subset of endpoints.subsets ?? []) {
    const addresses = [
      ...(subset.addresses ?? []).map((address) => ({ address, ready: true })),
      ...(subset.notReadyAddresses ?? []).map((address) => ({ address, ready: false })),
    ];
    for (const addressType of ['IPv4', 'IPv6'] as const) {
      const ofType = addresses.filter(({ address }) => address.ip.includes(':') === (addressType === 'IPv6'));
      if (ofType.length === 0) continue;
      slices.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: `${endpoints.metadata.name}-mirrored-${slices.length + 1}`,
          namespace: endpoints.metadata.namespace,
          labels: {
            [serviceNameLabel]: endpoints.metadata.name,
            'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
          },
        },
        addressType,
        endpoints: ofType.map(({ address, ready }) => ({
          addresses: [address.ip],
          conditions: { ready },
          ...(address.hostname ? { hostname: address.hostname } : {}),
          ...(address.nodeName ? { nodeName: address.nodeName } : {}),
          ...(address.targetRef ? { targetRef: address.targetRef } : {}),
        })),
        ports: (subset.ports ?? []).map((port) => withPortProtocol(port)),
      });
    }
  }
  return slices;
}

// --- not found ---

// Names the Services the manifests do have, nearest first: the same name in another namespace, then
// names a typo away, so that the hint usually holds the fix.
function serviceNotFound(services: Service[], target: { namespace: string; name: string }) {
  const message = `service "${target.name}" not found in namespace "${target.namespace}" of the manifests`;
  if (services.length === 0) {
    return notFoundError(message, 'The manifests hold no Service (kind: Service, apiVersion: v1); check the paths given to -f.');
  }
  const nearest = services
    .map((service) => ({ service, distance: editDistance(service.metadata.name, target.name) }))
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        Number(b.service.metadata.namespace === target.namespace) - Number(a.service.metadata.namespace === target.namespace) ||
        compare(a.service.metadata.namespace!, b.service.metadata.namespace!) ||
        compare(a.service.metadata.name, b.service.metadata.name),
    );
  const shown = nearest.slice(0, 5).map(({ service }) => `${service.metadata.namespace}/${service.metadata.name}`);
  const more = nearest.length > shown.length ? ` (+ ${nearest.length - shown.length} more)` : '';
  const elsewhere = nearest.filter(({ distance }) => distance === 0).map(({ service }) => `-n ${service.metadata.namespace}`);
  const advice = elsewhere.length > 0 ? ` Add ${elsewhere.join(' or ')} to trace the one of that namespace.` : '';
  return notFoundError(message, `Services in the manifests: ${shown.join(', ')}${more}.${advice}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
