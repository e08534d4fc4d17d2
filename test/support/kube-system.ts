// The kube-system part of a snapshot (cluster DNS, kube-proxy), from test/fixtures/kube-system, the
// way src/cluster/kube-system.ts assembles it from its lookups.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { matchesLabels, matchesSelector } from '../../src/kube/labels.js';
import type { DaemonSet, EndpointSlice, KubeList, Namespace, Pod, Service } from '../../src/kube/types.js';
import type { ClusterDns, KubeProxy } from '../../src/snapshot.js';

export interface KubeSystemFixture {
  namespace: Namespace;
  dnsService: Service;
  dnsEndpointSlices: KubeList<EndpointSlice>;
  pods: KubeList<Pod>;
  daemonSets: KubeList<DaemonSet>;
}

// A fresh copy on every call.
export function loadKubeSystem(name = 'kubeadm'): KubeSystemFixture {
  return JSON.parse(readFileSync(path.resolve('test/fixtures/kube-system', `${name}.json`), 'utf8')) as KubeSystemFixture;
}

export function clusterDnsOf(fixture: KubeSystemFixture): { found: ClusterDns } {
  const selector = fixture.dnsService.spec.selector ?? {};
  return {
    found: {
      service: fixture.dnsService,
      endpointSlices: fixture.dnsEndpointSlices.items,
      pods: fixture.pods.items.filter((pod) => matchesLabels(selector, pod.metadata.labels)),
      namespaceLabels: fixture.namespace.metadata.labels ?? {},
    },
  };
}

export function kubeProxyOf(fixture: KubeSystemFixture): KubeProxy {
  const daemonSet = fixture.daemonSets.items.find((candidate) => candidate.metadata.name === 'kube-proxy');
  if (!daemonSet) return { pods: [] };
  return { daemonSet, pods: fixture.pods.items.filter((pod) => matchesSelector(daemonSet.spec.selector ?? {}, pod.metadata.labels)) };
}

// Marks a pod not ready, as the kubelet reports a failing readiness probe.
export function setNotReady(pod: Pod): void {
  for (const condition of pod.status?.conditions ?? []) {
    if (condition.type === 'Ready' || condition.type === 'ContainersReady') condition.status = 'False';
  }
  for (const container of pod.status?.containerStatuses ?? []) container.ready = false;
}
