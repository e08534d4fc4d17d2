// Offline mode for what stands in front of Services: Ingress, IngressClass, Gateway, GatewayClass,
// HTTPRoute, GRPCRoute and ReferenceGrant read from manifests (and Secrets, by name only). What only
// a cluster knows (addresses, status conditions) is skipped by the analysis, which says so.

import { ExitCode, SvcTraceError, notFoundError } from '../errors.js';
import { ingressBackends } from '../analyze/ingress.js';
import { isServiceBackend, routeBackendRefs } from '../analyze/route.js';
import { serviceKey } from '../analyze/entry-backends.js';
import { gatewayGroup, type Gateway, type Ingress, type IngressClass, type ReferenceGrant, type Route, type SecretName } from '../kube/entries.js';
import type { ClientReference } from '../kube/client-reference.js';
import type { KubeObject } from '../kube/types.js';
import type { EntrySnapshot, Referrers, Snapshot } from '../snapshot.js';
import type { EntryKind } from './gather-entry.js';
import { offlineSnapshot } from './offline.js';

const groups: Record<string, string[]> = {
  Ingress: ['networking.k8s.io'],
  IngressClass: ['networking.k8s.io'],
  Gateway: [gatewayGroup],
  GatewayClass: [gatewayGroup],
  HTTPRoute: [gatewayGroup],
  GRPCRoute: [gatewayGroup],
  ReferenceGrant: [gatewayGroup],
  Secret: [''],
};
const clusterScoped = new Set(['IngressClass', 'GatewayClass']);

const groupOf = (apiVersion: string | undefined) => (apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

// The objects of one kind, each placed in its namespace (objects without one go to `-n`, as `kubectl apply -n` puts them).
function ofKind<T extends KubeObject>(objects: KubeObject[], kind: string, defaultNamespace: string): T[] {
  return objects
    .filter((o) => o.kind === kind && (groups[kind] ?? []).includes(groupOf(o.apiVersion)))
    .map((o) => (clusterScoped.has(kind) ? o : { ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? defaultNamespace } })) as T[];
}

export function offlineReferrers(objects: KubeObject[], defaultNamespace: string): Referrers {
  return {
    ingresses: { items: ofKind<Ingress>(objects, 'Ingress', defaultNamespace) },
    httpRoutes: { items: ofKind<Route>(objects, 'HTTPRoute', defaultNamespace) },
    grpcRoutes: { items: ofKind<Route>(objects, 'GRPCRoute', defaultNamespace) },
  };
}

// Each backend Service's offline snapshot; a Service the manifests do not hold is left out.
function backendSnapshots(objects: KubeObject[], keys: string[], client: ClientReference | undefined): Record<string, Snapshot> {
  const snapshots: Record<string, Snapshot> = {};
  for (const key of keys) {
    const [namespace, name] = key.split('/') as [string, string];
    try {
      // Inside an entry's trace the entry itself is the referrer: the Service's own list is not repeated.
      const { referrers: _referrers, ...snapshot } = offlineSnapshot(objects, { namespace, name, ...(client ? { client } : {}) });
      snapshots[key] = snapshot;
    } catch (error) {
      if (!(error instanceof SvcTraceError && error.exitCode === ExitCode.notFound)) throw error;
    }
  }
  return snapshots;
}

export function offlineEntrySnapshot(objects: KubeObject[], target: { namespace: string; kind: EntryKind; name: string; client?: ClientReference }): EntrySnapshot {
  const { namespace, kind, name } = target;
  const candidates = ofKind<Ingress & Route>(objects, kind, namespace);
  const object = candidates.find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
  if (!object) {
    const held = candidates.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    throw notFoundError(
      `${kind.toLowerCase()} "${name}" not found in namespace "${namespace}" of the manifests`,
      held.length > 0 ? `${kind}s in the manifests: ${held.slice(0, 5).join(', ')}${held.length > 5 ? ` (+ ${held.length - 5} more)` : ''}` : `the manifests hold no ${kind}; check the paths given to -f`,
    );
  }
  if (kind === 'Ingress') {
    const ingress = object as Ingress;
    const keys = [...new Set(ingressBackends(ingress).flatMap((b) => (b.backend.service ? [serviceKey(namespace, b.backend.service.name)] : [])))];
    const classes = ofKind<IngressClass>(objects, 'IngressClass', namespace);
    const secrets = ofKind<KubeObject>(objects, 'Secret', namespace).map((s): SecretName => ({ namespace: s.metadata.namespace!, name: s.metadata.name }));
    return {
      source: 'manifests',
      entry: {
        kind,
        ingress,
        ingressClasses: classes.length > 0 ? { items: classes } : { skipped: 'offline: no IngressClass in the manifests (its controller installs it): the class is not checked' },
        secrets: secrets.length > 0 ? { items: secrets } : { skipped: 'offline: no Secret in the manifests: TLS Secrets are not checked' },
      },
      services: backendSnapshots(objects, keys, target.client),
    };
  }
  const route = object as Route;
  const keys = [...new Set(routeBackendRefs(kind, route).filter((r) => isServiceBackend(r.ref)).map((r) => serviceKey(r.namespace, r.ref.name)))];
  return {
    source: 'manifests',
    entry: {
      kind,
      route,
      gateways: { items: ofKind<Gateway>(objects, 'Gateway', namespace) },
      referenceGrants: { items: ofKind<ReferenceGrant>(objects, 'ReferenceGrant', namespace) },
    },
    services: backendSnapshots(objects, keys, target.client),
  };
}
