// Offline mode for what stands in front of Services: Ingress, IngressClass, Gateway, GatewayClass,
// HTTPRoute, GRPCRoute and ReferenceGrant read from manifests (and Secrets, by name only). What only
// a cluster knows (addresses, status conditions) is skipped by the analysis, which says so.

import { ExitCode, SvcTraceError, notFoundError } from '../errors.js';
import type { EntryKind } from '../analyze/entry-model.js';
import { gatewayGroup, type Gateway, type Ingress, type IngressClass, type ReferenceGrant, type Route, type SecretName } from '../kube/entries.js';
import type { ClientReference } from '../kube/client-reference.js';
import type { KubeObject } from '../kube/types.js';
import type { EntrySnapshot, Referrers, Snapshot } from '../snapshot.js';
import { assembleEntrySnapshot, entrySkipReasons, ingressBackendServices, routeBackendServices } from '../snapshot/entry.js';
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
      snapshots[key] = offlineSnapshot(objects, { namespace, name, ...(client ? { client } : {}) });
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
    const keys = ingressBackendServices(ingress, namespace);
    const classes = ofKind<IngressClass>(objects, 'IngressClass', namespace);
    const secrets = ofKind<KubeObject>(objects, 'Secret', namespace).map((s): SecretName => ({ namespace: s.metadata.namespace!, name: s.metadata.name }));
    return assembleEntrySnapshot(
      'manifests',
      {
        kind,
        ingress,
        ingressClasses: classes.length > 0 ? { items: classes } : { skipped: entrySkipReasons.offline.ingressClasses },
        secrets: secrets.length > 0 ? { items: secrets } : { skipped: entrySkipReasons.offline.secrets },
      },
      backendSnapshots(objects, keys, target.client),
    );
  }
  const route = object as Route;
  const { keys } = routeBackendServices(kind, route, namespace);
  const gateways = { items: ofKind<Gateway>(objects, 'Gateway', namespace) };
  const referenceGrants = { items: ofKind<ReferenceGrant>(objects, 'ReferenceGrant', namespace) };
  return assembleEntrySnapshot('manifests', { kind, route, gateways, referenceGrants }, backendSnapshots(objects, keys, target.client));
}
