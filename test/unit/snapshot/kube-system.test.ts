// The kube-system part of a snapshot: what a trace reads there, and how a read that failed becomes the
// note the dns and routing hops show.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '../../../src/snapshot.js';
import { assembleKubeSystem, kubeSystemNeeds, kubeSystemReads, type KubeSystemFound } from '../../../src/snapshot/kube-system.js';
import { loadFixture } from '../../support/snapshot.js';
import { loadKubeSystem } from '../../support/kube-system.js';

const everything = { dns: true, dnsEgress: true, kubeProxy: true, proxyNodes: true };
const generic: Client = { kind: 'generic', namespace: 'shop', namespaceLabels: { 'kubernetes.io/metadata.name': 'shop' } };

function read(): KubeSystemFound {
  const fixture = loadKubeSystem();
  return {
    dnsService: { value: fixture.dnsService },
    dnsEndpointSlices: { value: fixture.dnsEndpointSlices.items },
    pods: { value: fixture.pods.items },
    daemonSets: { value: fixture.daemonSets.items },
    namespaceLabels: { value: fixture.namespace.metadata.labels ?? {} },
  };
}

describe('kubeSystemNeeds: what a trace reads in kube-system', () => {
  test('a generic client needs the cluster DNS and kube-proxy, but no DNS pods or proxy nodes', () => {
    const needs = kubeSystemNeeds(loadFixture('healthy-web').service, generic, true);
    assert.deepEqual(needs, { dns: true, dnsEgress: false, kubeProxy: true, proxyNodes: false });
    assert.deepEqual(kubeSystemReads(needs), { dnsService: true, dnsEndpointSlices: true, pods: false, daemonSets: true, namespace: false });
  });

  test('an ExternalName or headless Service has no virtual IP for a proxy; outside the cluster no cluster DNS; assert reads none', () => {
    assert.equal(kubeSystemNeeds(loadFixture('externalname').service, generic, true).kubeProxy, false);
    assert.equal(kubeSystemNeeds(loadFixture('headless-statefulset').service, generic, true).kubeProxy, false);
    assert.equal(kubeSystemNeeds(loadFixture('healthy-web').service, { kind: 'external' }, true).dns, false);
    const none = kubeSystemNeeds(loadFixture('healthy-web').service, generic, false);
    assert.equal(none.dns || none.kubeProxy, false);
  });
});

describe('assembleKubeSystem', () => {
  test('the DNS pods are those the kube-dns selector selects; the kube-proxy pods those of its DaemonSet', () => {
    const { clusterDns, kubeProxy } = assembleKubeSystem(everything, read());
    assert.ok(clusterDns && 'found' in clusterDns);
    assert.ok(clusterDns.found.pods.length > 0 && clusterDns.found.pods.every((pod) => pod.metadata.labels?.['k8s-app'] === 'kube-dns'));
    assert.ok(kubeProxy && 'pods' in kubeProxy && kubeProxy.daemonSet?.metadata.name === 'kube-proxy');
    assert.ok(kubeProxy.pods.length > 0 && kubeProxy.pods.every((pod) => pod.metadata.labels?.['k8s-app'] === 'kube-proxy'));
  });

  test('a read that failed is a note that says which and why', () => {
    const missing = assembleKubeSystem(everything, { ...read(), dnsService: { failed: 'service kube-system/kube-dns: not found' } });
    assert.deepEqual(missing.clusterDns, { skipped: 'no Service kube-system/kube-dns: the cluster DNS was not checked (a cluster may name it differently)' });
    const forbidden = assembleKubeSystem(everything, {
      ...read(),
      dnsEndpointSlices: { failed: 'kube-system endpointslices: forbidden to read (RBAC)' },
      daemonSets: { failed: 'kube-system daemonsets: forbidden to read (RBAC)' },
    });
    assert.deepEqual(forbidden.clusterDns, { skipped: 'cluster DNS not checked: kube-system endpointslices: forbidden to read (RBAC)' });
    assert.deepEqual(forbidden.kubeProxy, { skipped: 'kube-proxy not checked: kube-system daemonsets: forbidden to read (RBAC)' });
  });

  test('no kube-proxy DaemonSet is an answer (a replacement may route Services), not a note; what is not needed is left out', () => {
    assert.deepEqual(assembleKubeSystem(everything, { ...read(), daemonSets: { value: [] } }).kubeProxy, { pods: [] });
    assert.deepEqual(assembleKubeSystem({ dns: false, dnsEgress: false, kubeProxy: false, proxyNodes: false }, read()), {});
  });
});
