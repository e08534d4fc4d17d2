// fetch → entry snapshot for `ingress/NAME`, `httproute/NAME` and `grpcroute/NAME`: the entry first,
// then in parallel what it refers to (IngressClasses, TLS Secrets by metadata only, parent Gateways,
// ReferenceGrants, backend Services), then each backend Service's own snapshot.

import { ApiStatusError, notFoundError } from '../errors.js';
import type { Gateway as GatewayObject, Ingress, IngressClass, ReferenceGrant, Route, SecretName } from '../kube/entries.js';
import { nearestNames } from '../kube/names.js';
import type { KubeObject, Service } from '../kube/types.js';
import type { EntryKind } from '../analyze/entry-model.js';
import type { EntrySnapshot, Lookup, Snapshot } from '../snapshot.js';
import { assembleEntrySnapshot, ingressBackendServices, routeBackendServices } from '../snapshot/entry.js';
import { gatherSnapshot } from './gather.js';
import { sharedReads } from './shared-reads.js';
import type { Gateway } from './gateway.js';
import { metadataOnly, objectMetadataOnly, optional, paths, served } from './lookups.js';

export interface EntryGatherOptions {
  namespace: string;
  kind: EntryKind;
  name: string;
  from?: string;
  fromNamespace?: string;
}

const collection = (kind: EntryKind, namespace: string) =>
  kind === 'Ingress' ? paths.ingresses(namespace) : kind === 'HTTPRoute' ? paths.httpRoutes(namespace) : paths.grpcRoutes(namespace);
const word = (kind: EntryKind) => kind.toLowerCase();

async function getEntry<T>(gateway: Gateway, kind: EntryKind, namespace: string, name: string): Promise<T> {
  try {
    return await gateway.get<T>(paths.named(collection(kind, namespace), name));
  } catch (error) {
    if (!(error instanceof ApiStatusError && error.status === 404)) throw error;
    if (kind !== 'Ingress' && !(await gatewayApiServed(gateway))) {
      throw notFoundError(
        `the cluster does not serve the Gateway API (gateway.networking.k8s.io/v1), so ${word(kind)} "${name}" cannot exist`,
        'install the Gateway API CRDs (and a controller), or trace the Service or Ingress instead',
      );
    }
    const near = await gateway
      .list<KubeObject>(collection(kind, namespace), {}, metadataOnly)
      .then((objects) => nearestNames(name, objects.map((o) => o.metadata.name)))
      .catch(() => [] as string[]);
    throw notFoundError(
      `${word(kind)} "${name}" not found in namespace "${namespace}"`,
      near.length > 0 ? `did you mean ${near.join(' or ')}?` : `list them with: kubectl get ${word(kind)} -n ${namespace}`,
    );
  }
}

async function gatewayApiServed(gateway: Gateway): Promise<boolean> {
  try {
    await gateway.get(paths.gatewayApi());
    return true;
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) return false;
    throw error;
  }
}

// The Services, by "namespace/name"; a Service that does not exist is left out.
async function getServices(gateway: Gateway, keys: string[]): Promise<Record<string, Service>> {
  const found = await Promise.all(
    keys.map(async (key) => {
      const [namespace, name] = key.split('/') as [string, string];
      try {
        return [key, await gateway.get<Service>(paths.named(paths.services(namespace), name))] as const;
      } catch (error) {
        if (error instanceof ApiStatusError && error.status === 404) return undefined;
        throw error;
      }
    }),
  );
  return Object.fromEntries(found.filter((entry) => entry !== undefined));
}

// Whether each TLS Secret exists, by a metadata-only GET: the Secret's data is never requested,
// and nothing but its namespace and name is kept.
async function secretNames(gateway: Gateway, namespace: string, names: string[]): Promise<Lookup<SecretName>> {
  try {
    const found = await Promise.all(
      names.map(async (name) => {
        try {
          await gateway.get<unknown>(paths.named(paths.secrets(namespace), name), undefined, objectMetadataOnly);
          return { namespace, name };
        } catch (error) {
          if (error instanceof ApiStatusError && error.status === 404) return undefined;
          throw error;
        }
      }),
    );
    return { items: found.filter((s) => s !== undefined) };
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 403) return { skipped: 'secrets: forbidden to get (RBAC), TLS Secrets not checked' };
    throw error;
  }
}

async function getGateways(gateway: Gateway, refs: Array<{ namespace: string; name: string }>): Promise<Lookup<GatewayObject>> {
  return optional('gateways', async () =>
    (
      await Promise.all(
        refs.map((ref) =>
          gateway.get<GatewayObject>(paths.named(paths.gateways(ref.namespace), ref.name)).catch((error: unknown) => {
            if (error instanceof ApiStatusError && error.status === 404) return undefined;
            throw error;
          }),
        ),
      )
    ).filter((g) => g !== undefined),
  );
}

async function backendSnapshots(gateway: Gateway, services: Record<string, Service>, client: Pick<EntryGatherOptions, 'from' | 'fromNamespace'>): Promise<Record<string, Snapshot>> {
  // Backends in one namespace share its lookups (labels, Events, NetworkPolicies, kube-system): read once.
  const shared = sharedReads(gateway);
  const snapshots = await Promise.all(
    Object.entries(services).map(async ([key, service]) => {
      const [namespace, name] = key.split('/') as [string, string];
      return [key, await gatherSnapshot(shared, { namespace, name, ...client, service })] as const;
    }),
  );
  return Object.fromEntries(snapshots);
}

export async function gatherEntry(gateway: Gateway, options: EntryGatherOptions): Promise<EntrySnapshot> {
  const { namespace, kind, name } = options;
  if (kind === 'Ingress') {
    const ingress = await getEntry<Ingress>(gateway, kind, namespace, name);
    const keys = ingressBackendServices(ingress, namespace);
    const tlsSecrets = [...new Set((ingress.spec.tls ?? []).flatMap((t) => (t.secretName ? [t.secretName] : [])))];
    const [ingressClasses, secrets, services] = await Promise.all([
      optional('ingressclasses', () => gateway.list<IngressClass>(paths.ingressClasses())),
      secretNames(gateway, namespace, tlsSecrets),
      getServices(gateway, keys),
    ]);
    const backends = await backendSnapshots(gateway, services, { from: options.from, fromNamespace: options.fromNamespace });
    return assembleEntrySnapshot('cluster', { kind, ingress, ingressClasses, secrets }, backends);
  }
  const route = await getEntry<Route>(gateway, kind, namespace, name);
  const parents = [
    ...new Map(
      (route.spec.parentRefs ?? [])
        .filter((p) => (p.kind ?? 'Gateway') === 'Gateway')
        .map((p) => [`${p.namespace ?? namespace}/${p.name}`, { namespace: p.namespace ?? namespace, name: p.name }]),
    ).values(),
  ];
  const { keys, foreignNamespaces: foreign } = routeBackendServices(kind, route, namespace);
  const [gateways, referenceGrants, services] = await Promise.all([
    getGateways(gateway, parents),
    foreign.length > 0
      ? served('referencegrants', async () => (await Promise.all(foreign.map((ns) => gateway.list<ReferenceGrant>(paths.referenceGrants(ns))))).flat())
      : Promise.resolve({ items: [] }),
    getServices(gateway, keys),
  ]);
  const backends = await backendSnapshots(gateway, services, { from: options.from, fromNamespace: options.fromNamespace });
  return assembleEntrySnapshot('cluster', { kind, route, gateways, referenceGrants }, backends);
}
