// The snapshot of an entry trace (`ingress/NAME`, `httproute/NAME`, `grpcroute/NAME`), live or from
// manifests: which backend Services the entry sends to, and how the entry and their snapshots are put
// together. Pure; the reads are src/cluster/gather-entry.ts's and src/cluster/offline-entry.ts's.

import { serviceKey } from '../analyze/entry-backends.js';
import { ingressBackends } from '../analyze/ingress.js';
import { isServiceBackend, routeBackendRefs } from '../analyze/route.js';
import type { Ingress, Route } from '../kube/entries.js';
import type { EntrySnapshot, IngressEntry, RouteEntry, Snapshot } from '../snapshot.js';

export const entrySkipReasons = {
  offline: {
    ingressClasses: 'offline: no IngressClass in the manifests (its controller installs it): the class is not checked',
    secrets: 'offline: no Secret in the manifests: TLS Secrets are not checked',
  },
} as const;

// The Services an Ingress's rules and default backend send to, by "namespace/name", each once.
export function ingressBackendServices(ingress: Ingress, namespace: string): string[] {
  return [...new Set(ingressBackends(ingress).flatMap((b) => (b.backend.service ? [serviceKey(namespace, b.backend.service.name)] : [])))];
}

// The Services a route's backendRefs name, by "namespace/name", each once; and the namespaces other
// than the route's that they are in (where a ReferenceGrant must allow the reference).
export function routeBackendServices(kind: 'HTTPRoute' | 'GRPCRoute', route: Route, namespace: string): { keys: string[]; foreignNamespaces: string[] } {
  const refs = routeBackendRefs(kind, route).filter((r) => isServiceBackend(r.ref));
  return {
    keys: [...new Set(refs.map((r) => serviceKey(r.namespace, r.ref.name)))],
    foreignNamespaces: [...new Set(refs.map((r) => r.namespace).filter((ns) => ns !== namespace))],
  };
}

// Inside an entry's trace the entry itself is the referrer: a backend's own list of referrers is left out.
export function assembleEntrySnapshot(source: EntrySnapshot['source'], entry: IngressEntry | RouteEntry, services: Record<string, Snapshot>): EntrySnapshot {
  const backends = Object.entries(services).map(([key, { referrers: _referrers, ...snapshot }]) => [key, snapshot] as const);
  return { source, entry, services: Object.fromEntries(backends) };
}
