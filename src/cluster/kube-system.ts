// The kube-system lookups of one trace: the cluster DNS Service (kube-dns) with its EndpointSlices and
// pods, and the kube-proxy DaemonSet with its pods. At most five requests, all issued together (and in
// parallel with the Service's own lookups); the DNS and kube-proxy pods come in one list. A lookup that
// is forbidden, absent or fails becomes a note in the trace, never a failure of the command.

import { ApiStatusError } from '../errors.js';
import { matchesLabels, matchesSelector } from '../kube/labels.js';
import type { DaemonSet, EndpointSlice, Pod, Service } from '../kube/types.js';
import type { ClusterDns, KubeProxy } from '../snapshot.js';
import { namespaceLabels } from './client.js';
import type { Gateway } from './gateway.js';
import { paths } from './lookups.js';

export const systemNamespace = 'kube-system';
export const clusterDnsService = 'kube-dns';
// The label that kubeadm, CoreDNS's own manifests and the managed clouds give both kinds of pods.
const systemPods = 'k8s-app in (kube-dns,kube-proxy)';

export interface KubeSystemNeeds {
  dns: boolean; // the client resolves names through the cluster DNS
  dnsEgress: boolean; // the client's egress policies are checked (a real pod): the DNS pods' labels and namespace count
  kubeProxy: boolean; // the Service has a virtual IP that a proxy programs
  proxyNodes: boolean; // the client is on a known node, whose kube-proxy pod counts (else the DaemonSet's counts do)
}

export interface KubeSystem {
  clusterDns?: { found: ClusterDns } | { skipped: string };
  kubeProxy?: KubeProxy | { skipped: string };
}

type Attempt<T> = { value: T } | { failed: string };

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
  const [service, endpointSlices, pods, daemonSets, labels] = await Promise.all([
    needs.dns ? attempt(`service ${ns}/${clusterDnsService}`, () => gateway.get<Service>(paths.named(paths.services(ns), clusterDnsService))) : skippedAttempt,
    needs.dns
      ? attempt(`${ns} endpointslices`, () =>
          gateway.list<EndpointSlice>(paths.endpointSlices(ns), { labelSelector: `kubernetes.io/service-name=${clusterDnsService}` }),
        )
      : skippedAttempt,
    (needs.dns && needs.dnsEgress) || (needs.kubeProxy && needs.proxyNodes)
      ? attempt(`${ns} pods`, () => gateway.list<Pod>(paths.pods(ns), { labelSelector: systemPods }))
      : skippedAttempt,
    needs.kubeProxy ? attempt(`${ns} daemonsets`, () => gateway.list<DaemonSet>(paths.daemonSets(ns))) : skippedAttempt,
    needs.dns && needs.dnsEgress ? attempt(`namespace ${ns}`, () => namespaceLabels(gateway, ns)) : skippedAttempt,
  ]);
  const podList = 'value' in pods ? pods.value : [];
  const result: KubeSystem = {};
  if (needs.dns) {
    if ('failed' in service) {
      result.clusterDns = {
        skipped:
          service.failed.endsWith('not found')
            ? `no Service ${ns}/${clusterDnsService}: the cluster DNS was not checked (a cluster may name it differently)`
            : `cluster DNS not checked: ${service.failed}`,
      };
    } else if ('failed' in endpointSlices) {
      result.clusterDns = { skipped: `cluster DNS not checked: ${endpointSlices.failed}` };
    } else {
      const selector = service.value.spec.selector ?? {};
      result.clusterDns = {
        found: {
          service: service.value,
          endpointSlices: endpointSlices.value,
          pods: Object.keys(selector).length > 0 ? podList.filter((pod) => matchesLabels(selector, pod.metadata.labels)) : [],
          namespaceLabels: 'value' in labels ? labels.value : { 'kubernetes.io/metadata.name': ns },
        },
      };
    }
  }
  if (needs.kubeProxy) {
    if ('failed' in daemonSets) {
      result.kubeProxy = { skipped: `kube-proxy not checked: ${daemonSets.failed}` };
    } else {
      const daemonSet = daemonSets.value.find(
        (candidate) => candidate.metadata.name === 'kube-proxy' || candidate.metadata.labels?.['k8s-app'] === 'kube-proxy',
      );
      const selector = daemonSet?.spec.selector;
      result.kubeProxy = daemonSet
        ? { daemonSet, pods: selector && 'value' in pods && needs.proxyNodes ? podList.filter((pod) => matchesSelector(selector, pod.metadata.labels)) : [] }
        : { pods: [] };
    }
  }
  return result;
}
