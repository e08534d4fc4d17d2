// The backend hop with NetworkPolicy: network-policy-blocks and network-policy-restricts, for the
// client a user names with --from and for the generic client. (The policy evaluation itself is
// tested in network-policy.test.ts.)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import type { NetworkPolicy } from '../../../src/kube/types.js';
import { expectFinding, expectNoFinding, hopOf, ids, loadFixture, nodeClient, podClient, snapshotOf, traceOf } from '../../support/snapshot.js';

const frontend = 'frontend-6c8f7b9d5c-b9vll';
const batch = 'report-batch-7f5b9c6d8e-c8fw6';

describe('network-policy-blocks', () => {
  test('--from a pod no rule admits: error with the reason, and who the policy admits instead', () => {
    const fixture = loadFixture('network-policy-allow-frontend');
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, batch) }));
    const finding = expectFinding(trace, 'network-policy-blocks', 'error', 'NetworkPolicy allow-frontend', `pod ${batch}`, 'TCP 8080');
    assert.equal(
      finding.hint,
      'the policies admit only pods with app=frontend in namespace shop (allow-frontend): trace with --from one of them, or add an ingress rule for this client',
    );
    assert.deepEqual(
      finding.objects.map((object) => `${object.kind}/${object.name}`),
      ['Service/web', 'Pod/web-7d9c5b6f4d-nfh7v', 'Pod/web-7d9c5b6f4d-7b2nj'],
    );
    expectNoFinding(trace, 'network-policy-restricts');
    const backend = hopOf(trace, 'backend');
    assert.equal(backend.status, 'fail');
    assert.deepEqual(
      backend.backends.map((row) => [row.networkPolicy, row.policies]),
      [
        ['denied', ['allow-frontend']],
        ['denied', ['allow-frontend']],
      ],
    );
    assert.equal(trace.verdict, 'broken');
  });

  test('near: --from a pod the policy admits', () => {
    const fixture = loadFixture('network-policy-allow-frontend');
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, frontend) }));
    expectNoFinding(trace, 'network-policy-blocks');
    expectNoFinding(trace, 'network-policy-restricts');
    assert.deepEqual(
      hopOf(trace, 'backend').backends.map((row) => row.networkPolicy),
      ['allowed', 'allowed'],
    );
    assert.equal(trace.verdict, 'ok');
  });

  test('a default deny admits nobody: even the generic client is blocked, and the hint says what to add', () => {
    const trace = traceOf('network-policy-default-deny');
    const finding = expectFinding(trace, 'network-policy-blocks', 'error', 'NetworkPolicy default-deny-ingress', 'an unlabelled pod in namespace shop');
    assert.equal(finding.hint, 'add an ingress rule that admits the client on the target port');
  });

  test("the client's own egress policy: the hint asks for an egress rule, not for the ingress peers", () => {
    const fixture = loadFixture('network-policy-allow-frontend');
    const dnsOnly: NetworkPolicy = {
      metadata: { name: 'frontend-egress', namespace: 'shop', uid: '0b7d2c4e-5f6a-4b8c-9d0e-1f2a3b4c5d6e', resourceVersion: '49870', creationTimestamp: '2025-11-20T09:05:00Z' },
      spec: {
        podSelector: { matchLabels: { app: 'frontend' } },
        egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
        policyTypes: ['Egress'],
      },
    };
    fixture.networkPolicies!.items.push(dnsOnly);
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, frontend) }));
    const finding = expectFinding(trace, 'network-policy-blocks', 'error', 'NetworkPolicy frontend-egress', 'for egress');
    assert.equal(finding.hint, "add an egress rule to the client's NetworkPolicy that admits the backend pods on the target port");
  });

  test('some backends denied and the others unknown: a warning', () => {
    // From node worker-1: its own pod is probably admitted (plugins admit the node), the other is denied.
    const fixture = loadFixture('network-policy-allow-frontend');
    const trace = analyze(snapshotOf(fixture, { client: nodeClient(fixture, 'worker-1') }));
    expectFinding(trace, 'network-policy-blocks', 'warning', 'node worker-1', 'web-7d9c5b6f4d-7b2nj');
    assert.deepEqual(
      hopOf(trace, 'backend').backends.map((row) => [row.pod, row.networkPolicy]),
      [
        ['web-7d9c5b6f4d-nfh7v', 'unknown'],
        ['web-7d9c5b6f4d-7b2nj', 'denied'],
      ],
    );
  });

  test("the client's egress can only be admitted by an ipBlock and the backends' IPs are unknown: unknown, not allowed", () => {
    const fixture = loadFixture('network-policy-allow-frontend');
    const toPrivateRange: NetworkPolicy = {
      metadata: { name: 'frontend-egress', namespace: 'shop', uid: '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', resourceVersion: '49871', creationTimestamp: '2025-11-20T09:05:00Z' },
      spec: {
        podSelector: { matchLabels: { app: 'frontend' } },
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
        policyTypes: ['Egress'],
      },
    };
    fixture.networkPolicies!.items.push(toPrivateRange);
    // The backends have no IP yet (just scheduled): the egress rule may or may not admit them.
    for (const pod of fixture.pods.items.filter((candidate) => candidate.metadata.labels?.app === 'web')) {
      delete pod.status!.podIP;
      delete pod.status!.podIPs;
    }
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, frontend) }));
    assert.deepEqual(hopOf(trace, 'backend').backends.map((row) => row.networkPolicy), ['unknown', 'unknown']);
    expectNoFinding(trace, 'network-policy-blocks');
  });

  test('near: the same egress rule and backends with IPs inside the range: allowed', () => {
    const fixture = loadFixture('network-policy-allow-frontend');
    fixture.networkPolicies!.items.push({
      metadata: { name: 'frontend-egress', namespace: 'shop', uid: '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', resourceVersion: '49871', creationTimestamp: '2025-11-20T09:05:00Z' },
      spec: { podSelector: { matchLabels: { app: 'frontend' } }, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }], policyTypes: ['Egress'] },
    });
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, frontend) }));
    assert.deepEqual(hopOf(trace, 'backend').backends.map((row) => row.networkPolicy), ['allowed', 'allowed']);
  });

  test('near: no NetworkPolicy in the namespace', () => {
    const trace = traceOf('healthy-web');
    expectNoFinding(trace, 'network-policy-blocks');
    assert.ok(hopOf(trace, 'backend').backends.every((row) => row.networkPolicy === 'not-isolated'));
  });

  test('NetworkPolicies that may not be read are a note, not a verdict', () => {
    const trace = traceOf('network-policy-default-deny', { networkPolicies: { skipped: 'forbidden: cannot list networkpolicies' } });
    expectNoFinding(trace, 'network-policy-blocks');
    const backend = hopOf(trace, 'backend');
    assert.deepEqual(backend.notes, ['NetworkPolicies not evaluated: forbidden: cannot list networkpolicies']);
    assert.ok(backend.backends.every((row) => row.networkPolicy === 'not-evaluated'));
  });
});

describe('network-policy-restricts', () => {
  test('the generic client is not among the admitted: info that says who is, not an error', () => {
    const trace = traceOf('network-policy-allow-frontend');
    expectFinding(trace, 'network-policy-restricts', 'info', 'pods with app=frontend in namespace shop (allow-frontend)', 'TCP 8080');
    expectNoFinding(trace, 'network-policy-blocks');
    assert.equal(trace.verdict, 'ok');
    assert.deepEqual(ids(trace), ['network-policy-restricts']);
  });

  test('near: a pod the user names is blocked, not restricted', () => {
    const fixture = loadFixture('network-policy-allow-frontend');
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, batch) }));
    expectNoFinding(trace, 'network-policy-restricts');
  });

  test('near: a policy that admits every pod of the namespace admits the generic client', () => {
    const fixture = loadFixture('network-policy-allow-frontend');
    fixture.networkPolicies!.items[0]!.spec.ingress = [{ ports: [{ protocol: 'TCP', port: 8080 }], from: [{ podSelector: {} }] }];
    const trace = analyze(snapshotOf(fixture));
    expectNoFinding(trace, 'network-policy-restricts');
    expectNoFinding(trace, 'network-policy-blocks');
  });
});

describe('NetworkPolicy selectors on label keys named like JavaScript built-ins', () => {
  test('a default deny for pods with a label `constructor` does not isolate pods without it', () => {
    const fixture = loadFixture('network-policy-default-deny');
    fixture.networkPolicies!.items[0]!.spec.podSelector = { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] };
    const trace = analyze(snapshotOf(fixture));
    expectNoFinding(trace, 'network-policy-blocks');
    assert.ok(hopOf(trace, 'backend').backends.every((row) => row.networkPolicy === 'not-isolated'));
  });

  test('near: a default deny for pods without a label `toString` isolates them all', () => {
    const fixture = loadFixture('network-policy-default-deny');
    fixture.networkPolicies!.items[0]!.spec.podSelector = { matchExpressions: [{ key: 'toString', operator: 'DoesNotExist' }] };
    expectFinding(analyze(snapshotOf(fixture)), 'network-policy-blocks', 'error');
  });
});
