// An ExternalName Service's target, checked the way a client would meet it: a name under the cluster
// domain through the API (does the Service it names exist, with how many ready endpoints), any other
// name by the resolver of the machine running svc-trace.

import { lookup } from 'node:dns/promises';
import { ApiStatusError } from '../errors.js';
import type { EndpointSlice, Service } from '../kube/types.js';
import type { NameResolution } from '../snapshot.js';
import { clusterDomain, skipReasons } from '../snapshot/assemble.js';
import type { Gateway } from './gateway.js';
import { optional, paths } from './lookups.js';

export async function resolveExternalName(gateway: Gateway, service: Service, resolveName: (hostname: string) => Promise<string[]>): Promise<NameResolution> {
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
export const resolveWithSystemDns = async (hostname: string): Promise<string[]> =>
  (await lookup(hostname, { all: true })).map((address) => address.address);
