// The snapshot of a Service that does not exist yet: the would-be Service and the live pods its
// selector would select, so that analyze() can say before creation which pods would back it, on
// which nodes, and what would be wrong. EndpointSlices and events exist only once it is created.

import type { NetworkPolicy, Node, Pod, Service } from '../kube/types.js';
import type { Client, Lookup, Snapshot } from '../snapshot.js';

export interface PreviewLookups {
  pods: Pod[]; // the pods the Service's selector selects
  otherPods: Pod[]; // the namespace's other pods, when none is selected (near misses)
  nodes: Lookup<Node>;
  networkPolicies: Lookup<NetworkPolicy>;
  client: Client; // the generic client of the namespace, with the namespace's labels
}

export const notCreatedYet = 'preview: the Service does not exist yet, so it has no EndpointSlices';

export function previewSnapshot(service: Service, lookups: PreviewLookups): Snapshot {
  const namespace = service.metadata.namespace ?? 'default';
  const { client } = lookups;
  const namespaceLabels = client.kind === 'generic' ? client.namespaceLabels : { 'kubernetes.io/metadata.name': namespace };
  return {
    source: 'cluster',
    service,
    endpointSlices: { skipped: notCreatedYet },
    pods: lookups.pods,
    otherPods: lookups.otherPods,
    nodes: lookups.nodes,
    networkPolicies: lookups.networkPolicies,
    namespaceLabels: { [namespace]: namespaceLabels },
    events: { skipped: 'preview: no events before the Service exists' },
    client,
    externalName: { skipped: 'not an ExternalName Service' },
    clusterDomain: 'cluster.local',
  };
}
