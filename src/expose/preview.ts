// The snapshot of a Service that does not exist yet: the would-be Service and the live pods its
// selector would select, so that analyze() can say before creation which pods would back it, on
// which nodes, and what would be wrong. EndpointSlices and events exist only once it is created.

import type { NetworkPolicy, Node, Pod, Service } from '../kube/types.js';
import type { Client, Lookup, Snapshot } from '../snapshot.js';
import { assembleSnapshot } from '../snapshot/assemble.js';

export interface PreviewLookups {
  pods: Pod[]; // the pods the Service's selector selects
  otherPods: Pod[]; // the namespace's other pods, when none is selected (near misses)
  nodes: Lookup<Node>;
  networkPolicies: Lookup<NetworkPolicy>;
  client: Client; // the generic client of the namespace, with the namespace's labels
}

export function previewSnapshot(service: Service, lookups: PreviewLookups): Snapshot {
  const { pods, otherPods, nodes, networkPolicies, client } = lookups;
  return assembleSnapshot('preview', { service, pods, nearMissPods: otherPods, nodes, networkPolicies, client });
}
