// Secondary lookups that may be forbidden (nodes, networkpolicies, events, namespaces): a 403 becomes
// a note in the trace, never a failure of the command (SPEC §6).

import { ApiStatusError } from '../errors.js';
import type { Lookup } from '../snapshot.js';

export async function optional<T>(what: string, fetch: () => Promise<T[]>): Promise<Lookup<T>> {
  try {
    return { items: await fetch() };
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 403) return { skipped: `${what}: forbidden to list (RBAC)` };
    throw error;
  }
}

// The Kubernetes API paths svc-trace reads, in one place.
export const paths = {
  services: (namespace?: string) => (namespace ? `/api/v1/namespaces/${namespace}/services` : '/api/v1/services'),
  pods: (namespace?: string) => (namespace ? `/api/v1/namespaces/${namespace}/pods` : '/api/v1/pods'),
  events: (namespace?: string) => (namespace ? `/api/v1/namespaces/${namespace}/events` : '/api/v1/events'),
  endpointSlices: (namespace?: string) =>
    namespace ? `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices` : '/apis/discovery.k8s.io/v1/endpointslices',
  networkPolicies: (namespace?: string) =>
    namespace ? `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies` : '/apis/networking.k8s.io/v1/networkpolicies',
  nodes: () => '/api/v1/nodes',
  namespaces: () => '/api/v1/namespaces',
  deployments: (namespace: string) => `/apis/apps/v1/namespaces/${namespace}/deployments`,
};

// Only the metadata of a list (labels for near-miss suggestions), not whole objects.
export const metadataOnly = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
