// The kube-system reads of one trace: the cluster DNS Service (kube-dns), its EndpointSlices, the DNS
// and kube-proxy pods (one list), the DaemonSets and the namespace. At most five requests, all issued
// together (and in parallel with the Service's own lookups). A read that is forbidden, absent or fails
// becomes a note in the trace (src/snapshot/kube-system.ts), never a failure of the command.

import { ApiStatusError } from '../errors.js';
import type { DaemonSet, EndpointSlice, Pod, Service } from '../kube/types.js';
import {
  assembleKubeSystem,
  clusterDnsService,
  kubeSystemReads,
  systemNamespace,
  type Attempt,
  type KubeSystem,
  type KubeSystemNeeds,
} from '../snapshot/kube-system.js';
import { namespaceLabels } from './client.js';
import type { Gateway } from './gateway.js';
import { paths } from './lookups.js';

// The label that kubeadm, CoreDNS's own manifests and the managed clouds give both kinds of pods.
const systemPods = 'k8s-app in (kube-dns,kube-proxy)';

async function attempt<T>(what: string, fetch: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { value: await fetch() };
  } catch (error) {
    if (!(error instanceof ApiStatusError)) throw error;
    if (error.status === 403) return { failed: `${what}: forbidden to read (RBAC)` };
    if (error.status === 404) return { failed: `${what}: not found` };
    return { failed: `${what}: ${error.message}` };
  }
}

const skippedAttempt = { failed: 'not needed' } as const;

export async function gatherKubeSystem(gateway: Gateway, needs: KubeSystemNeeds): Promise<KubeSystem> {
  const ns = systemNamespace;
  const reads = kubeSystemReads(needs);
  const [dnsService, dnsEndpointSlices, pods, daemonSets, labels] = await Promise.all([
    reads.dnsService ? attempt(`service ${ns}/${clusterDnsService}`, () => gateway.get<Service>(paths.named(paths.services(ns), clusterDnsService))) : skippedAttempt,
    reads.dnsEndpointSlices
      ? attempt(`${ns} endpointslices`, () =>
          gateway.list<EndpointSlice>(paths.endpointSlices(ns), { labelSelector: `kubernetes.io/service-name=${clusterDnsService}` }),
        )
      : skippedAttempt,
    reads.pods ? attempt(`${ns} pods`, () => gateway.list<Pod>(paths.pods(ns), { labelSelector: systemPods })) : skippedAttempt,
    reads.daemonSets ? attempt(`${ns} daemonsets`, () => gateway.list<DaemonSet>(paths.daemonSets(ns))) : skippedAttempt,
    reads.namespace ? attempt(`namespace ${ns}`, () => namespaceLabels(gateway, ns)) : skippedAttempt,
  ]);
  return assembleKubeSystem(needs, { dnsService, dnsEndpointSlices, pods, daemonSets, namespaceLabels: labels });
}
