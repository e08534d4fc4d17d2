// fetch → snapshot for one Service: the Service first, then everything else in parallel with
// server-side selectors, so a trace costs a handful of requests whatever the cluster's size.

import { lookup } from 'node:dns/promises';
import { ApiStatusError, notFoundError } from '../errors.js';
import { formatLabels } from '../kube/labels.js';
import { nearestNames } from '../kube/names.js';
import { firstOf } from '../render/style.js';
import type { EndpointSlice, Event, KubeObject, NetworkPolicy, Node, Pod, Service } from '../kube/types.js';
import type { NameResolution, Snapshot } from '../snapshot.js';
import { assembleSnapshot, clusterDomain, needsNearMisses, needsPodsOfNamespace, nodesNeeded, policyNamespaces, selectsPods, skipReasons } from '../snapshot/assemble.js';
import { kubeSystemNeeds } from '../snapshot/kube-system.js';
import { parseClientReference, resolveClient } from './client.js';
import type { Gateway } from './gateway.js';
import { gatherReferrers } from './gather-referrers.js';
import { gatherKubeSystem } from './kube-system.js';
import { metadataOnly, optional, paths } from './lookups.js';

export interface GatherOptions {
  namespace: string;
  name: string;
  from?: string;
  fromNamespace?: string; // --from-namespace: a generic pod of that namespace
  kubeSystem?: boolean; // read the cluster DNS and kube-proxy in kube-system (default true; assert does not)
  // Resolves an ExternalName target; injected so tests never reach a real DNS server.
  resolveName?: (hostname: string) => Promise<string[]>;
  // The Service, when the caller has read it already (an entry's trace reads its backends first).
  service?: Service;
  // Also list the namespace's Ingresses and routes that may send to the Service (a trace's frontend hop).
  referrers?: boolean;
}

export async function getService(gateway: Gateway, namespace: string, name: string): Promise<Service> {
  try {
    return await gateway.get<Service>(paths.named(paths.services(namespace), name));
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) throw await serviceNotFound(gateway, namespace, name);
    throw error;
  }
}

// Service "x" not found: suggest near names in the namespace and the namespaces that have "x".
async function serviceNotFound(gateway: Gateway, namespace: string, name: string) {
  const names = (objects: KubeObject[]) => objects.map((o) => o.metadata.name);
  const quietly = <T>(request: Promise<T[]>) => request.catch(() => [] as T[]);
  const [namespaceExists, here, elsewhere] = await Promise.all([
    gateway.get(paths.namespace(namespace)).then(
      () => true,
      (error) => !(error instanceof ApiStatusError && error.status === 404),
    ),
    quietly(gateway.list<KubeObject>(paths.services(namespace), {}, metadataOnly)),
    quietly(gateway.list<KubeObject>(paths.services(), { fieldSelector: `metadata.name=${name}` }, metadataOnly)),
  ]);
  const otherNamespaces = elsewhere.map((s) => s.metadata.namespace).filter((ns) => ns && ns !== namespace);
  if (!namespaceExists) {
    return notFoundError(
      `namespace "${namespace}" not found`,
      otherNamespaces.length > 0
        ? `a Service ${name} exists in namespace ${firstOf(otherNamespaces as string[], 3).join(', ')} (use -n ${otherNamespaces[0]})`
        : 'list namespaces with: kubectl get namespaces',
    );
  }
  const near = nearestNames(name, names(here));
  const hints = [
    ...(near.length > 0 ? [`did you mean ${near.join(' or ')}?`] : []),
    ...(otherNamespaces.length > 0 ? [`a Service ${name} exists in namespace ${firstOf(otherNamespaces as string[], 3).join(', ')} (use -n ${otherNamespaces[0]})`] : []),
  ];
  return notFoundError(
    `service "${name}" not found in namespace "${namespace}"`,
    hints.length > 0 ? hints.join(' — ') : `list the Services with: kubectl get services -n ${namespace}`,
  );
}

async function resolveExternalName(gateway: Gateway, service: Service, resolveName: (hostname: string) => Promise<string[]>): Promise<NameResolution> {
  const target = service.spec.externalName;
  if (!target) return { skipped: skipReasons.notExternalName };
  // The workstation never resolves the cluster's own names: those are looked up through the API.
  const inCluster = clusterServiceOf(target, clusterDomain);
  if (inCluster === 'unknown') return { skipped: `${target} is a name of the cluster that names no Service: not checked` };
  if (inCluster) return checkClusterService(gateway, inCluster);
  try {
    return { addresses: await resolveName(target) };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

// `NAME.NAMESPACE.svc.DOMAIN` (and `HOSTNAME.NAME.NAMESPACE.svc.DOMAIN`, a pod of a headless Service)
// names a Service; any other name under the domain is the cluster's but names none ('unknown').
function clusterServiceOf(target: string, domain: string): { namespace: string; name: string } | 'unknown' | undefined {
  const name = target.toLowerCase().replace(/\.$/, '');
  if (name !== domain && !name.endsWith(`.${domain}`)) return undefined;
  const labels = name.slice(0, -domain.length - 1).split('.');
  if (labels.at(-1) !== 'svc' || (labels.length !== 3 && labels.length !== 4)) return 'unknown';
  return { name: labels.at(-3)!, namespace: labels.at(-2)! };
}

async function checkClusterService(gateway: Gateway, target: { namespace: string; name: string }): Promise<NameResolution> {
  let service: Service;
  try {
    service = await gateway.get<Service>(`${paths.services(target.namespace)}/${target.name}`);
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) return { clusterService: target, found: false };
    if (error instanceof ApiStatusError && error.status === 403) return { skipped: `Service ${target.namespace}/${target.name}: forbidden to get (RBAC)` };
    throw error;
  }
  if (service.spec.type === 'ExternalName') return { clusterService: target, found: true };
  const slices = await optional('endpointslices', () =>
    gateway.list<EndpointSlice>(paths.endpointSlices(target.namespace), { labelSelector: `kubernetes.io/service-name=${target.name}` }),
  );
  if ('skipped' in slices) return { clusterService: target, found: true };
  const ready = new Set(slices.items.flatMap((slice) => (slice.endpoints ?? []).filter((e) => e.conditions?.ready ?? true).map((e) => e.targetRef?.name ?? e.addresses[0])));
  return { clusterService: target, found: true, readyEndpoints: ready.size };
}

// The resolver of the machine running svc-trace (getaddrinfo: /etc/hosts, then DNS) — the closest
// stand-in for the cluster's DNS that a client outside the cluster has.
const resolveWithSystemDns = async (hostname: string): Promise<string[]> =>
  (await lookup(hostname, { all: true })).map((address) => address.address);

export async function gatherSnapshot(gateway: Gateway, options: GatherOptions): Promise<Snapshot> {
  const { namespace, name } = options;
  const clientReference = parseClientReference(options.from, options.fromNamespace);
  const [service, client] = await Promise.all([
    options.service ?? getService(gateway, namespace, name),
    resolveClient(gateway, clientReference, namespace),
  ]);
  const selector = service.spec.selector ?? {};
  const [endpointSlices, pods, nodes, networkPolicies, events, externalName, referrers, kubeSystem] = await Promise.all([
    gateway.list<EndpointSlice>(paths.endpointSlices(namespace), { labelSelector: `kubernetes.io/service-name=${name}` }),
    selectsPods(service) ? gateway.list<Pod>(paths.pods(namespace), { labelSelector: formatLabels(selector) }) : Promise.resolve([]),
    nodesNeeded(service, client) ? optional('nodes', () => gateway.list<Node>(paths.nodes())) : undefined,
    optional('networkpolicies', async () =>
      (await Promise.all(policyNamespaces(service, client).map((ns) => gateway.list<NetworkPolicy>(paths.networkPolicies(ns))))).flat(),
    ),
    optional('events', () => gateway.list<Event>(paths.events(namespace), { fieldSelector: 'type=Warning' })),
    service.spec.type === 'ExternalName' ? resolveExternalName(gateway, service, options.resolveName ?? resolveWithSystemDns) : undefined,
    options.referrers ? gatherReferrers(gateway, namespace) : undefined,
    gatherKubeSystem(gateway, kubeSystemNeeds(service, client, options.kubeSystem !== false)),
  ]);
  // Only when nothing matches: the other pods' labels (metadata only), to name near misses.
  const nearMissPods = needsNearMisses(service, pods)
    ? (await gateway.list<KubeObject>(paths.pods(namespace), {}, metadataOnly)).map((o): Pod => ({ metadata: o.metadata, spec: { containers: [] } }))
    : undefined;
  const podsOfNamespace = needsPodsOfNamespace(service, endpointSlices) ? await optional('pods', () => gateway.list<Pod>(paths.pods(namespace))) : undefined;
  return assembleSnapshot('cluster', {
    service,
    pods,
    ...(nearMissPods ? { nearMissPods } : {}),
    ...(podsOfNamespace ? { podsOfNamespace } : {}),
    endpointSlices: { items: endpointSlices },
    ...(nodes ? { nodes } : {}),
    networkPolicies,
    events,
    client,
    ...(externalName ? { externalName } : {}),
    ...(referrers ? { referrers } : {}),
    ...kubeSystem,
  });
}
