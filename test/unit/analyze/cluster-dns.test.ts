// The dns hop's checks of the cluster DNS (kube-system/kube-dns): ready endpoints
// (cluster-dns-unavailable) and the client's egress to the DNS pods on UDP and TCP 53 (dns-egress-blocked).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import type { NetworkPolicy, NetworkPolicyEgressRule } from '../../../src/kube/types.js';
import { clusterDnsOf, loadKubeSystem, setNotReady } from '../../support/kube-system.js';
import { expectFinding, expectNoFinding, externalClient, hopOf, loadFixture, nodeClient, podClient, snapshotOf } from '../../support/snapshot.js';

const frontend = 'frontend-6c8f7b9d5c-b9vll';

describe('cluster-dns-unavailable', () => {
  test('near: two ready CoreDNS endpoints: no finding, and the dns hop says the DNS was checked', () => {
    const trace = analyze(snapshotOf(loadFixture('healthy-web'), { clusterDns: clusterDnsOf(loadKubeSystem()) }));
    expectNoFinding(trace, 'cluster-dns-unavailable');
    assert.equal(hopOf(trace, 'dns').status, 'ok');
    assert.ok(hopOf(trace, 'dns').notes.includes('cluster DNS kube-system/kube-dns (10.96.0.10): 2/2 endpoints ready'));
    assert.equal(trace.verdict, 'ok');
  });

  test('no CoreDNS endpoint ready: error on the dns hop, the Service is broken', () => {
    const system = loadKubeSystem();
    for (const endpoint of system.dnsEndpointSlices.items[0]!.endpoints!) endpoint.conditions = { ready: false, serving: false, terminating: false };
    const trace = analyze(snapshotOf(loadFixture('healthy-web'), { clusterDns: clusterDnsOf(system) }));
    const finding = expectFinding(trace, 'cluster-dns-unavailable', 'error', 'kube-system/kube-dns', '0 of 2 ready');
    assert.deepEqual(finding.objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`), ['Service/shop/web', 'Service/kube-system/kube-dns']);
    assert.equal(hopOf(trace, 'dns').status, 'fail');
    assert.equal(trace.verdict, 'broken');
  });

  test('no CoreDNS pod at all (the placeholder slice without endpoints): error', () => {
    const system = loadKubeSystem();
    system.dnsEndpointSlices.items[0]!.endpoints = null as never;
    const trace = analyze(snapshotOf(loadFixture('healthy-web'), { clusterDns: clusterDnsOf(system) }));
    expectFinding(trace, 'cluster-dns-unavailable', 'error', 'has no ready endpoint');
  });

  test('near: one of two CoreDNS endpoints not ready: DNS still answers, no finding', () => {
    const system = loadKubeSystem();
    system.dnsEndpointSlices.items[0]!.endpoints![0]!.conditions = { ready: false, serving: false, terminating: false };
    const trace = analyze(snapshotOf(loadFixture('healthy-web'), { clusterDns: clusterDnsOf(system) }));
    expectNoFinding(trace, 'cluster-dns-unavailable');
    assert.ok(hopOf(trace, 'dns').notes.some((note) => note.endsWith('1/2 endpoints ready')));
  });

  test('near: no kube-dns Service (named otherwise, or absent): a note, never an error', () => {
    const skipped = 'no Service kube-system/kube-dns: the cluster DNS was not checked (a cluster may name it differently)';
    const trace = analyze(snapshotOf(loadFixture('healthy-web'), { clusterDns: { skipped } }));
    assert.deepEqual(trace.findings, []);
    assert.equal(hopOf(trace, 'dns').status, 'ok');
    assert.ok(hopOf(trace, 'dns').notes.includes(skipped));
  });

  test('near: from outside the cluster or from a node the cluster DNS is not used: no finding', () => {
    const system = loadKubeSystem();
    system.dnsEndpointSlices.items[0]!.endpoints = [];
    const fixture = loadFixture('nodeport');
    for (const client of [externalClient, nodeClient(fixture, 'worker-1')]) {
      expectNoFinding(analyze(snapshotOf(fixture, { client, clusterDns: clusterDnsOf(system) })), 'cluster-dns-unavailable');
    }
  });
});

// An egress policy for the frontend pods of the network-policy-allow-frontend fixture.
function egressPolicy(rules: NetworkPolicyEgressRule[]): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'frontend-egress', namespace: 'shop', uid: 'uid-frontend-egress', resourceVersion: '50001', creationTimestamp: '2025-11-20T09:06:00Z' },
    spec: { podSelector: { matchLabels: { app: 'frontend' } }, policyTypes: ['Egress'], egress: rules },
  };
}
const toWeb: NetworkPolicyEgressRule = { to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] };
const dnsPeer = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } };

function traceWithEgress(rules: NetworkPolicyEgressRule[], client = 'frontend') {
  const fixture = loadFixture('network-policy-allow-frontend');
  fixture.networkPolicies!.items.push(egressPolicy(rules));
  const from = client === 'frontend' ? podClient(fixture, frontend) : undefined;
  return analyze(snapshotOf(fixture, { ...(from ? { client: from } : {}), clusterDns: clusterDnsOf(loadKubeSystem()) }));
}

describe('dns-egress-blocked', () => {
  test('an egress policy that admits only the backend blocks DNS: error naming UDP and TCP 53 and the policy', () => {
    const trace = traceWithEgress([toWeb]);
    const finding = expectFinding(trace, 'dns-egress-blocked', 'error', 'UDP and TCP 53', 'kube-system/kube-dns', 'NetworkPolicy frontend-egress');
    assert.match(finding.hint, /UDP and TCP 53/);
    assert.equal(hopOf(trace, 'dns').status, 'fail');
    expectNoFinding(trace, 'network-policy-blocks'); // the backend itself is admitted
  });

  test('near: the policy also admits UDP and TCP 53 to the DNS pods in kube-system: no finding', () => {
    const dns: NetworkPolicyEgressRule = { to: [dnsPeer], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };
    const trace = traceWithEgress([toWeb, dns]);
    expectNoFinding(trace, 'dns-egress-blocked');
    assert.equal(trace.verdict, 'ok');
  });

  test('near: port 53 to any destination (the common "allow DNS" rule): no finding', () => {
    expectNoFinding(traceWithEgress([toWeb, { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }]), 'dns-egress-blocked');
  });

  test('only UDP 53 admitted: a warning for TCP 53 (answers too large for UDP fail), not an error', () => {
    const trace = traceWithEgress([toWeb, { to: [dnsPeer], ports: [{ protocol: 'UDP', port: 53 }] }]);
    const finding = expectFinding(trace, 'dns-egress-blocked', 'warning', '(TCP 53)');
    assert.ok(!finding.message.includes('UDP'));
    assert.equal(trace.verdict, 'degraded');
  });

  test('a namespaceSelector that kube-system\'s real labels do not match admits nothing', () => {
    const rule: NetworkPolicyEgressRule = { to: [{ namespaceSelector: { matchLabels: { team: 'platform' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };
    expectFinding(traceWithEgress([toWeb, rule]), 'dns-egress-blocked', 'error');
    // The same rule once kube-system carries the label.
    const fixture = loadFixture('network-policy-allow-frontend');
    fixture.networkPolicies!.items.push(egressPolicy([toWeb, rule]));
    const clusterDns = clusterDnsOf(loadKubeSystem());
    clusterDns.found.namespaceLabels = { ...clusterDns.found.namespaceLabels, team: 'platform' };
    expectNoFinding(analyze(snapshotOf(fixture, { client: podClient(fixture, frontend), clusterDns })), 'dns-egress-blocked');
  });

  test('near: the generic client (no pod chosen) has no egress policies checked', () => {
    expectNoFinding(traceWithEgress([toWeb], 'generic'), 'dns-egress-blocked');
  });

  test('near: a client no egress policy selects', () => {
    const fixture = loadFixture('network-policy-allow-frontend');
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, frontend), clusterDns: clusterDnsOf(loadKubeSystem()) }));
    expectNoFinding(trace, 'dns-egress-blocked');
  });
});
