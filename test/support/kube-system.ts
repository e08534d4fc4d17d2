// The kube-system part of a snapshot (cluster DNS, kube-proxy), from test/fixtures/kube-system, put
// together by the real assembler (src/snapshot/kube-system.ts) as the gatherer does from its reads.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DaemonSet, EndpointSlice, KubeList, Namespace, Pod, Service } from '../../src/kube/types.js';
import type { ClusterDns, KubeProxy } from '../../src/snapshot.js';
import { assembleKubeSystem } from '../../src/snapshot/kube-system.js';

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

// What the gatherer would read from the fixture, put together by the real assembler.
function kubeSystemOf(fixture: KubeSystemFixture) {
  const needs = { dns: true, dnsEgress: true, kubeProxy: true, proxyNodes: true };
  return assembleKubeSystem(needs, {
    dnsService: { value: fixture.dnsService },
    dnsEndpointSlices: { value: fixture.dnsEndpointSlices.items },
    pods: { value: fixture.pods.items },
    daemonSets: { value: fixture.daemonSets.items },
    namespaceLabels: { value: fixture.namespace.metadata.labels ?? {} },
  });
}

export function clusterDnsOf(fixture: KubeSystemFixture): { found: ClusterDns } {
  return kubeSystemOf(fixture).clusterDns as { found: ClusterDns };
}

export function kubeProxyOf(fixture: KubeSystemFixture): KubeProxy {
  return kubeSystemOf(fixture).kubeProxy as KubeProxy;
}

// Marks a pod not ready, as the kubelet reports a failing readiness probe.
export function setNotReady(pod: Pod): void {
  for (const condition of pod.status?.conditions ?? []) {
    if (condition.type === 'Ready' || condition.type === 'ContainersReady') condition.status = 'False';
  }
  for (const container of pod.status?.containerStatuses ?? []) container.ready = false;
}
