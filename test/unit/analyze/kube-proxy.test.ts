// The routing hop's view of kube-proxy: its DaemonSet, and its pod on the nodes the traffic goes
// through (kube-proxy-not-ready). No kube-proxy at all is a statement, never a finding.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import { kubeProxyOf, loadKubeSystem, setNotReady } from '../../support/kube-system.js';
import { expectFinding, expectNoFinding, hopOf, loadFixture, nodeClient, podClient, snapshotOf } from '../../support/snapshot.js';

const frontend = 'frontend-6c8f7b9d5c-b9vll'; // on worker-3
const web = 'web-7d9c5b6f4d-nfh7v'; // on worker-1

function systemWithNotReadyProxyOn(node: string) {
  const system = loadKubeSystem();
  setNotReady(system.pods.items.find((pod) => pod.metadata.labels?.['k8s-app'] === 'kube-proxy' && pod.spec.nodeName === node)!);
  return system;
}

describe('kube-proxy-not-ready', () => {
  test('near: every kube-proxy pod ready: no finding, the routing hop says so', () => {
    const trace = analyze(snapshotOf(loadFixture('healthy-web'), { kubeProxy: kubeProxyOf(loadKubeSystem()) }));
    expectNoFinding(trace, 'kube-proxy-not-ready');
    assert.ok(hopOf(trace, 'routing').rules.includes('kube-proxy DaemonSet kube-system/kube-proxy: 3/3 pods ready'));
    assert.equal(trace.verdict, 'ok');
  });

  test('the client pod\'s own node has a not-ready kube-proxy: warning naming the node', () => {
    const fixture = loadFixture('network-policy-allow-frontend');
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, frontend), kubeProxy: kubeProxyOf(systemWithNotReadyProxyOn('worker-3')) }));
    const finding = expectFinding(trace, 'kube-proxy-not-ready', 'warning', 'kube-system/kube-proxy', 'worker-3');
    assert.deepEqual(finding.objects.map((o) => o.kind), ['Service', 'DaemonSet']);
    assert.equal(hopOf(trace, 'routing').status, 'warn');
    assert.ok(hopOf(trace, 'routing').rules.includes('kube-proxy DaemonSet kube-system/kube-proxy: not ready on worker-3'));
  });

  test('near: kube-proxy not ready on another node than the client pod\'s: no finding for this client', () => {
    const fixture = loadFixture('network-policy-allow-frontend');
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, web), kubeProxy: kubeProxyOf(systemWithNotReadyProxyOn('worker-3')) }));
    expectNoFinding(trace, 'kube-proxy-not-ready');
    assert.ok(hopOf(trace, 'routing').rules.includes('kube-proxy DaemonSet kube-system/kube-proxy: ready on worker-1'));
  });

  test('--from node/NAME: that node\'s kube-proxy counts', () => {
    const fixture = loadFixture('nodeport');
    const system = systemWithNotReadyProxyOn('worker-2');
    expectFinding(analyze(snapshotOf(fixture, { client: nodeClient(fixture, 'worker-2'), kubeProxy: kubeProxyOf(system) })), 'kube-proxy-not-ready', 'warning', 'worker-2');
    expectNoFinding(analyze(snapshotOf(fixture, { client: nodeClient(fixture, 'worker-1'), kubeProxy: kubeProxyOf(system) })), 'kube-proxy-not-ready');
  });

  test('the generic client may run on any node: any not-ready kube-proxy pod is a warning', () => {
    const trace = analyze(snapshotOf(loadFixture('healthy-web'), { kubeProxy: kubeProxyOf(systemWithNotReadyProxyOn('worker-2')) }));
    expectFinding(trace, 'kube-proxy-not-ready', 'warning', 'worker-2');
    assert.ok(hopOf(trace, 'routing').rules.includes('kube-proxy DaemonSet kube-system/kube-proxy: 2/3 pods ready'));
  });

  test('its pods not listed (other labels): the DaemonSet\'s own counts tell', () => {
    const system = loadKubeSystem();
    system.daemonSets.items[0]!.status = { ...system.daemonSets.items[0]!.status, numberReady: 2, numberUnavailable: 1 };
    const trace = analyze(snapshotOf(loadFixture('healthy-web'), { kubeProxy: { daemonSet: system.daemonSets.items[0]!, pods: [] } }));
    expectFinding(trace, 'kube-proxy-not-ready', 'warning', '1 of 3 nodes');
  });

  test('near: no kube-proxy DaemonSet (a replacement such as Cilium): a statement, no finding', () => {
    const trace = analyze(snapshotOf(loadFixture('healthy-web'), { kubeProxy: { pods: [] } }));
    assert.deepEqual(trace.findings, []);
    assert.equal(hopOf(trace, 'routing').status, 'ok');
    assert.ok(hopOf(trace, 'routing').rules.some((rule) => rule.startsWith('no kube-proxy DaemonSet in kube-system: a replacement')));
  });

  test('near: the DaemonSet list forbidden: a note on the routing hop, no finding', () => {
    const trace = analyze(snapshotOf(loadFixture('healthy-web'), { kubeProxy: { skipped: 'kube-proxy not checked: kube-system daemonsets: forbidden to read (RBAC)' } }));
    assert.deepEqual(trace.findings, []);
    assert.deepEqual(hopOf(trace, 'routing').notes, ['kube-proxy not checked: kube-system daemonsets: forbidden to read (RBAC)']);
  });

  test('near: a headless Service is not proxied: kube-proxy does not matter', () => {
    const trace = analyze(snapshotOf(loadFixture('headless-statefulset'), { kubeProxy: kubeProxyOf(systemWithNotReadyProxyOn('worker-1')) }));
    expectNoFinding(trace, 'kube-proxy-not-ready');
  });
});
