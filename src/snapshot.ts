// A snapshot is everything the analysis may look at for one Service, gathered before analysis starts
// (from the API server, or from manifests in offline mode). Analysis never fetches anything itself.

import type { EndpointSlice, Event, NetworkPolicy, Node, Pod, Service } from './kube/types.js';
import type { ProbeReport } from './probe/model.js';

// A secondary lookup either produced items or was skipped, with the reason in words
// (forbidden by RBAC, not available offline, not needed for this Service).
export type Lookup<T> = { items: T[] } | { skipped: string };

export function lookupItems<T>(lookup: Lookup<T>): T[] {
  return 'items' in lookup ? lookup.items : [];
}

// Where the packet starts (`--from`).
export type Client =
  | { kind: 'pod'; pod: Pod; namespaceLabels: Record<string, string> } // a real pod (--from pod/NAME, deploy/NAME)
  | { kind: 'generic'; namespace: string; namespaceLabels: Record<string, string> } // an unlabelled pod in that namespace
  | { kind: 'node'; name: string; node?: Node } // host network of a node (--from node/NAME)
  | { kind: 'external' }; // outside the cluster

// The result of resolving an ExternalName target, made by the gatherer (online only).
export type NameResolution = { addresses: string[] } | { error: string } | { skipped: string };

export interface Snapshot {
  source: 'cluster' | 'manifests';
  service: Service;
  // EndpointSlices labelled kubernetes.io/service-name=<service>. Offline: skipped.
  endpointSlices: Lookup<EndpointSlice>;
  // Pods the Service's selector selects (live: by server-side labelSelector; offline: would-be pods
  // from workload templates). Empty for a Service without selector.
  pods: Pod[];
  // Other pods of the namespace, only gathered when the selector selects none, so that the analysis
  // can name the label sets that almost match.
  otherPods: Pod[];
  nodes: Lookup<Node>;
  // NetworkPolicies of the Service's namespace, and of the client's namespace when it differs.
  networkPolicies: Lookup<NetworkPolicy>;
  // Labels of the namespaces that NetworkPolicy namespaceSelectors are evaluated against
  // (at least the client's and the Service's namespace).
  namespaceLabels: Record<string, Record<string, string>>;
  events: Lookup<Event>;
  client: Client;
  externalName: NameResolution;
  clusterDomain: string;
  // --probe (live only): one connection to each ready endpoint's target port. Absent without --probe.
  probe?: ProbeReport;
}
