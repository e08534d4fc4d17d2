// fetch → snapshot for one Service: the Service first, then everything else in parallel with
// server-side selectors, so a trace costs a handful of requests whatever the cluster's size.

import { ApiStatusError, notFoundError } from '../errors.js';
import { formatLabels } from '../kube/labels.js';
import { nearestNames } from '../kube/names.js';
import { firstOf } from '../render/style.js';
import type { EndpointSlice, Event, KubeObject, NetworkPolicy, Node, Pod, Service } from '../kube/types.js';
import type { Client, Snapshot } from '../snapshot.js';
import { assembleSnapshot, needsNearMisses, needsPodsOfNamespace, nodesNeeded, policyNamespaces, selectsPods } from '../snapshot/assemble.js';
import { kubeSystemNeeds } from '../snapshot/kube-system.js';
import { parseClientReference, resolveClient } from './client.js';
import type { Gateway } from './gateway.js';
import { resolveExternalName, resolveWithSystemDns } from './external-name.js';
import { gatherReferrers } from './gather-referrers.js';
import { gatherKubeSystem } from './kube-system.js';
import { metadataOnly, optional, paths } from './lookups.js';
import { sharedReads } from './shared-reads.js';
import { listPodLabels } from './pod-labels.js';

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

// `missing` is told first when the Service is not there, before near names are looked for.
export async function getService(gateway: Gateway, namespace: string, name: string, missing?: () => void): Promise<Service> {
  try {
    return await gateway.get<Service>(paths.named(paths.services(namespace), name));
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) {
      missing?.();
      throw await serviceNotFound(gateway, namespace, name);
    }
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

// Why an early lookup was abandoned: never shown (nothing reads an abandoned answer).
const abandoned = new Error('the Service or the client was not found');

// The lookups of the Service's namespace that every trace makes: its EndpointSlices (by the
// service-name label), Warning events, NetworkPolicies (the Service's namespace is always one of
// policyNamespaces), and the Ingresses and routes when asked for. Each is marked handled at once:
// an abandoned one rejects without anyone waiting for it.
function namespaceLookups(gateway: Gateway, options: GatherOptions, signal: AbortSignal, ready: Promise<void>) {
  const { namespace, name } = options;
  const handled = <T>(read: () => Promise<T>): Promise<T> => {
    const promise = ready.then(() => {
      signal.throwIfAborted();
      return read();
    });
    promise.catch(() => {});
    return promise;
  };
  return {
    endpointSlices: handled(() => gateway.list<EndpointSlice>(paths.endpointSlices(namespace), { labelSelector: `kubernetes.io/service-name=${name}` }, undefined, { signal })),
    networkPolicies: handled(() => gateway.list<NetworkPolicy>(paths.networkPolicies(namespace), {}, undefined, { signal })),
    events: handled(() => optional('events', () => gateway.list<Event>(paths.events(namespace), { fieldSelector: 'type=Warning' }, undefined, { signal }))),
    referrers: options.referrers ? handled(() => gatherReferrers(gateway, namespace, signal)) : undefined,
  };
}

export async function gatherSnapshot(gateway: Gateway, options: GatherOptions): Promise<Snapshot> {
  const { namespace, name } = options;
  const clientReference = parseClientReference(options.from, options.fromNamespace);
  // One wave, not two: the Service first, and as soon as its connection's TLS session can be
  // resumed (gateway.sessionReady) the client and what is read whatever the Service turns out to
  // be; what its selector, type and client decide waits for them. When the Service or the client
  // is not found, the early lookups are abandoned (their requests ended) and their answers never
  // read, so the error is the same as if they had not been sent. `reads` sends the namespace's GET
  // once when both the client and a missing Service's hint ask for it.
  const reads = sharedReads(gateway);
  const abandon = new AbortController();
  const giveUp = (): void => abandon.abort(abandoned);
  const ready = gateway.sessionReady();
  const first = Promise.all([
    options.service ?? getService(reads, namespace, name, giveUp),
    ready.then(() => resolveClient(reads, clientReference, namespace)),
  ]);
  const early = namespaceLookups(reads, options, abandon.signal, ready);
  let service: Service;
  let client: Client;
  try {
    [service, client] = await first;
  } catch (error) {
    giveUp();
    throw error;
  }
  const selector = service.spec.selector ?? {};
  const [endpointSlices, pods, nodes, networkPolicies, events, externalName, referrers, kubeSystem] = await Promise.all([
    early.endpointSlices,
    selectsPods(service) ? gateway.list<Pod>(paths.pods(namespace), { labelSelector: formatLabels(selector) }) : Promise.resolve([]),
    nodesNeeded(service, client) ? optional('nodes', () => gateway.list<Node>(paths.nodes())) : undefined,
    optional('networkpolicies', async () =>
      (await Promise.all(policyNamespaces(service, client).map((ns) => (ns === namespace ? early.networkPolicies : gateway.list<NetworkPolicy>(paths.networkPolicies(ns)))))).flat(),
    ),
    early.events,
    service.spec.type === 'ExternalName' ? resolveExternalName(gateway, service, options.resolveName ?? resolveWithSystemDns) : undefined,
    early.referrers,
    gatherKubeSystem(gateway, kubeSystemNeeds(service, client, options.kubeSystem !== false)),
  ]);
  // Only when nothing matches: the other pods' labels (metadata only), to name near misses.
  const nearMissPods = needsNearMisses(service, pods) ? await listPodLabels(gateway, namespace) : undefined;
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
