// The kube-system part of a snapshot: the cluster DNS Service (kube-dns) with its EndpointSlices and
// pods, and the kube-proxy DaemonSet with its pods — what to read for a trace, and how what was read
// (or could not be) becomes the snapshot's clusterDns and kubeProxy. Pure; the reads are
// src/cluster/kube-system.ts's.

import { matchesLabels, matchesSelector } from '../kube/labels.js';
import type { DaemonSet, EndpointSlice, Pod, Service } from '../kube/types.js';
import type { Client, ClusterDns, KubeProxy } from '../snapshot.js';
import { defaultNamespaceLabels } from './assemble.js';

export const systemNamespace = 'kube-system';
export const clusterDnsService = 'kube-dns';

export interface KubeSystemNeeds {
  dns: boolean; // the client resolves names through the cluster DNS
  dnsEgress: boolean; // the client's egress policies are checked (a real pod): the DNS pods' labels and namespace count
  kubeProxy: boolean; // the Service has a virtual IP that a proxy programs
  proxyNodes: boolean; // the client is on a known node, whose kube-proxy pod counts (else the DaemonSet's counts do)
}

// `system` false: kube-system is not looked at at all (assert).
export function kubeSystemNeeds(service: Service, client: Client, system: boolean): KubeSystemNeeds {
  const proxied = service.spec.type !== 'ExternalName' && service.spec.clusterIP !== 'None';
  return {
    dns: system && (client.kind === 'pod' || client.kind === 'generic'),
    dnsEgress: client.kind === 'pod',
    kubeProxy: system && proxied,
    proxyNodes: client.kind === 'pod' || client.kind === 'node',
  };
}

// Which reads the needs ask for (the DNS and kube-proxy pods come in one list).
export function kubeSystemReads(needs: KubeSystemNeeds) {
  return {
    dnsService: needs.dns,
    dnsEndpointSlices: needs.dns,
    pods: (needs.dns && needs.dnsEgress) || (needs.kubeProxy && needs.proxyNodes),
    daemonSets: needs.kubeProxy,
    namespace: needs.dns && needs.dnsEgress,
  };
}

// One read: its value, or why there is none (`${what}: forbidden to read (RBAC)`, `${what}: not found`, ...).
export type Attempt<T> = { value: T } | { failed: string };

export interface KubeSystemFound {
  dnsService: Attempt<Service>;
  dnsEndpointSlices: Attempt<EndpointSlice[]>;
  pods: Attempt<Pod[]>;
  daemonSets: Attempt<DaemonSet[]>;
  namespaceLabels: Attempt<Record<string, string>>;
}

export interface KubeSystem {
  clusterDns?: { found: ClusterDns } | { skipped: string };
  kubeProxy?: KubeProxy | { skipped: string };
}

export function assembleKubeSystem(needs: KubeSystemNeeds, found: KubeSystemFound): KubeSystem {
  const ns = systemNamespace;
  const { dnsService: service, dnsEndpointSlices: endpointSlices, pods, daemonSets, namespaceLabels: labels } = found;
  const podList = 'value' in pods ? pods.value : [];
  const result: KubeSystem = {};
  if (needs.dns) {
    if ('failed' in service) {
      result.clusterDns = {
        skipped: service.failed.endsWith('not found')
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
          namespaceLabels: 'value' in labels ? labels.value : defaultNamespaceLabels(ns),
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
