// Secondary lookups that may be forbidden (nodes, networkpolicies, events, namespaces): a 403 becomes
// a note in the trace, never a failure of the command (README, Read-only); so does a 5xx (or a 429 still
// refused after the retries) for them: the trace says what it could not read.

import { ApiStatusError } from '../errors.js';
import type { WorkloadKind } from '../kube/client-reference.js';
import type { Lookup } from '../snapshot.js';

export async function optional<T>(what: string, fetch: () => Promise<T[]>): Promise<Lookup<T>> {
  try {
    return { items: await fetch() };
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 403) return { skipped: `${what}: forbidden to list (RBAC)` };
    if (isServerFailure(error)) return { skipped: `${what}: the API server failed to list them (${error.status} ${error.reason})` };
    throw error;
  }
}

// A 5xx, or a 429 that outlasted the retries: the server's trouble, not the request's.
export function isServerFailure(error: unknown): error is ApiStatusError {
  return error instanceof ApiStatusError && (error.status >= 500 || error.status === 429);
}

// The Kubernetes API paths svc-trace reads, in one place. Names are validated before any request
// (src/kube/names.ts); every segment is escaped all the same, so no name can add a path or a query.
const ns = (namespace: string) => `/namespaces/${encodeURIComponent(namespace)}`;
export const paths = {
  services: (namespace?: string) => (namespace ? `/api/v1${ns(namespace)}/services` : '/api/v1/services'),
  pods: (namespace?: string) => (namespace ? `/api/v1${ns(namespace)}/pods` : '/api/v1/pods'),
  events: (namespace?: string) => (namespace ? `/api/v1${ns(namespace)}/events` : '/api/v1/events'),
  endpointSlices: (namespace?: string) =>
    namespace ? `/apis/discovery.k8s.io/v1${ns(namespace)}/endpointslices` : '/apis/discovery.k8s.io/v1/endpointslices',
  networkPolicies: (namespace?: string) =>
    namespace ? `/apis/networking.k8s.io/v1${ns(namespace)}/networkpolicies` : '/apis/networking.k8s.io/v1/networkpolicies',
  nodes: () => '/api/v1/nodes',
  namespaces: () => '/api/v1/namespaces',
  namespace: (namespace: string) => `/api/v1${ns(namespace)}`,
  deployments: (namespace: string) => `/apis/apps/v1${ns(namespace)}/deployments`,
  daemonSets: (namespace: string) => `/apis/apps/v1${ns(namespace)}/daemonsets`,
  // The workloads a --from client may name, by kind.
  workloads: (kind: WorkloadKind, namespace: string) =>
    kind === 'Job' ? `/apis/batch/v1${ns(namespace)}/jobs` : `/apis/apps/v1${ns(namespace)}/${kind.toLowerCase()}s`,
  // One object of a collection: `paths.named(paths.pods('shop'), 'web-0')`.
  named: (collection: string, name: string) => `${collection}/${encodeURIComponent(name)}`,
  secrets: (namespace: string) => `/api/v1${ns(namespace)}/secrets`,
  ingresses: (namespace?: string) =>
    namespace ? `/apis/networking.k8s.io/v1${ns(namespace)}/ingresses` : '/apis/networking.k8s.io/v1/ingresses',
  ingressClasses: () => '/apis/networking.k8s.io/v1/ingressclasses',
  gatewayApi: () => '/apis/gateway.networking.k8s.io/v1',
  httpRoutes: (namespace?: string) =>
    namespace ? `/apis/gateway.networking.k8s.io/v1${ns(namespace)}/httproutes` : '/apis/gateway.networking.k8s.io/v1/httproutes',
  grpcRoutes: (namespace?: string) =>
    namespace ? `/apis/gateway.networking.k8s.io/v1${ns(namespace)}/grpcroutes` : '/apis/gateway.networking.k8s.io/v1/grpcroutes',
  gateways: (namespace: string) => `/apis/gateway.networking.k8s.io/v1${ns(namespace)}/gateways`,
  referenceGrants: (namespace: string) => `/apis/gateway.networking.k8s.io/v1beta1${ns(namespace)}/referencegrants`,
};

// An API the cluster may not serve at all (the Gateway API's CRDs): 404 means none, 403 a note.
export async function served<T>(what: string, fetch: () => Promise<T[]>): Promise<Lookup<T>> {
  try {
    return await optional(what, fetch);
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) return { items: [] };
    throw error;
  }
}

// Only the metadata of a list (labels for near-miss suggestions), not whole objects.
export const metadataOnly = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
// Only the metadata of one object: how a Secret's existence is checked without ever requesting its data.
export const objectMetadataOnly = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
