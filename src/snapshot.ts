// A snapshot is everything the analysis may look at for one Service, gathered before analysis starts
// (from the API server, or from manifests in offline mode). Analysis never fetches anything itself.

import type { Gateway, Ingress, IngressClass, ReferenceGrant, Route, SecretName } from './kube/entries.js';
import type { DaemonSet, EndpointSlice, Event, NetworkPolicy, Node, Pod, Service } from './kube/types.js';
import type { ProbeReport } from './probe/model.js';

// A secondary lookup either produced items or was skipped, with the reason in words
// (forbidden by RBAC, not available offline, not needed for this Service).
export type Lookup<T> = { items: T[] } | { skipped: string };

export function lookupItems<T>(lookup: Lookup<T>): T[] {
  return 'items' in lookup ? lookup.items : [];
}

// Where the packet starts (`--from`).
export type Client =
  // a real pod (--from pod/NAME, or one pod of a workload: `of` is e.g. `deployment frontend`)
  | { kind: 'pod'; pod: Pod; namespaceLabels: Record<string, string>; of?: string }
  | { kind: 'generic'; namespace: string; namespaceLabels: Record<string, string> } // an unlabelled pod in that namespace
  | { kind: 'node'; name: string; node?: Node } // host network of a node (--from node/NAME)
  | { kind: 'external' }; // outside the cluster

// The result of resolving an ExternalName target, made by the gatherer (online only): an outside name
// by the resolver of the machine running svc-trace (addresses or error); a name under the cluster domain
// through the API (does the Service it names exist, how many ready endpoints it has; undefined when
// they do not count, as for another ExternalName).
export type NameResolution =
  | { addresses: string[] }
  | { error: string }
  | { skipped: string }
  | { clusterService: { namespace: string; name: string }; found: boolean; readyEndpoints?: number };

// A custom resource in the manifests (an operator's `Prometheus`), by kind, name and namespace.
export interface CustomResourceRef {
  kind: string;
  name: string;
  namespace: string;
  // Why it may make the pods: it holds the selector's labels, it is named by a selector value, or it is
  // merely in the namespace.
  via: 'labels' | 'name' | 'namespace';
}

// The cluster DNS Service (kube-system/kube-dns) and what the dns hop checks of it (live only).
export interface ClusterDns {
  service: Service;
  endpointSlices: EndpointSlice[];
  pods: Pod[]; // the DNS pods (their labels, for the client's egress policies)
  namespaceLabels: Record<string, string>; // of the DNS Service's namespace
}

// The kube-proxy DaemonSet, if any, and its pods (live only).
export interface KubeProxy {
  daemonSet?: DaemonSet; // absent: the cluster runs no kube-proxy DaemonSet (a replacement may route Services)
  pods: Pod[];
}

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
  // Offline only, when no would-be pod matches: the files' custom resources whose operator may create
  // the pods (most likely first). Live, the pods themselves are the truth.
  podsFromCustomResources?: CustomResourceRef[];
  // Live, for a Service without selector whose EndpointSlices have endpoints: every pod of its namespace,
  // to tell endpoints that point at pods that are gone (nodes give the pod ranges).
  podsOfNamespace?: Lookup<Pod>;
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
  // What the dns and routing hops read from kube-system; absent where nobody looked (list mode).
  clusterDns?: { found: ClusterDns } | { skipped: string };
  kubeProxy?: KubeProxy | { skipped: string };
  // The Ingresses and routes of the Service's namespace, which may send to it (an API the cluster
  // does not serve gives none). Absent where nobody looked (a backend inside an entry's trace).
  referrers?: Referrers;
}

export interface Referrers {
  ingresses: Lookup<Ingress>;
  httpRoutes: Lookup<Route>;
  grpcRoutes: Lookup<Route>;
}

// What an entry trace (`ingress/NAME`, `httproute/NAME`, `grpcroute/NAME`) looks at: the entry, what
// it refers to, and the snapshot of every backend Service that exists, by "namespace/name".
export interface EntrySnapshot {
  source: 'cluster' | 'manifests';
  entry: IngressEntry | RouteEntry;
  services: Record<string, Snapshot>;
}

export interface IngressEntry {
  kind: 'Ingress';
  ingress: Ingress;
  ingressClasses: Lookup<IngressClass>;
  // The TLS Secrets that exist (names only: a Secret's data is never read).
  secrets: Lookup<SecretName>;
}

export interface RouteEntry {
  kind: 'HTTPRoute' | 'GRPCRoute';
  route: Route;
  // The parent Gateways that exist (a parent that is absent is simply not among them).
  gateways: Lookup<Gateway>;
  // The ReferenceGrants of every namespace a backendRef crosses into.
  referenceGrants: Lookup<ReferenceGrant>;
}
