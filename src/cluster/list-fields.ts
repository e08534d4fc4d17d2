// Only the fields the analysis reads, kept from each listed object as its page arrives, so that
// list mode holds a few hundred bytes per pod instead of the whole object (managed fields, volumes,
// env, images, container statuses' IDs...). What is kept is what src/kube/types.ts types: the
// fields svc-trace reads; the analysis of a trimmed object is the analysis of the whole one.

import type { EndpointSlice, Event, KubeObject, Namespace, NetworkPolicy, Node, Pod, Service } from '../kube/types.js';

// A shape names the fields to keep: `true` keeps a field whole, an object keeps the named fields
// of an object, a one-element array applies its shape to every item of a list.
type Shape = true | { [field: string]: Shape } | [Shape];

export function keep(value: unknown, shape: Shape): unknown {
  if (shape === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(shape)) return Array.isArray(value) ? value.map((item: unknown) => keep(item, shape[0])) : value;
  const source = value as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const field of Object.keys(shape)) {
    if (source[field] !== undefined) kept[field] = keep(source[field], shape[field]!);
  }
  return kept;
}

const metadata: Shape = {
  name: true,
  namespace: true,
  uid: true,
  labels: true,
  annotations: true,
  ownerReferences: true,
  deletionTimestamp: true,
  creationTimestamp: true,
  resourceVersion: true,
};

const container: Shape = { name: true, image: true, ports: true, readinessProbe: true, restartPolicy: true };

const podShape: Shape = {
  apiVersion: true,
  kind: true,
  metadata,
  spec: { containers: [container], initContainers: [container], nodeName: true, hostNetwork: true },
  status: {
    phase: true,
    conditions: [{ type: true, status: true, reason: true, message: true }],
    podIP: true,
    podIPs: true,
    hostIP: true,
    containerStatuses: [{ name: true, ready: true, restartCount: true, state: true }],
    reason: true,
    message: true,
  },
};

const nodeShape: Shape = {
  apiVersion: true,
  kind: true,
  metadata,
  spec: { podCIDR: true, podCIDRs: true, unschedulable: true },
  status: { addresses: true, conditions: [{ type: true, status: true }] },
};

// The object without its managedFields: for kinds whose every other field the analysis may read.
function withoutManagedFields<T extends KubeObject>(object: T): T {
  const meta = object.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  if (meta?.managedFields === undefined) return object;
  const { managedFields: _managedFields, ...rest } = meta;
  return { ...object, metadata: rest };
}

// Per kind: what list mode keeps of each listed object.
export const listFields = {
  pod: (pod: Pod): Pod => keep(pod, podShape) as Pod,
  node: (node: Node): Node => keep(node, nodeShape) as Node,
  service: (service: Service): Service => withoutManagedFields(service),
  endpointSlice: (slice: EndpointSlice): EndpointSlice => withoutManagedFields(slice),
  networkPolicy: (policy: NetworkPolicy): NetworkPolicy => withoutManagedFields(policy),
  event: (event: Event): Event => withoutManagedFields(event),
  namespace: (namespace: Namespace): Namespace => withoutManagedFields(namespace),
};
