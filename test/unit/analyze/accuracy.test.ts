// No false error on real applications (issue "Trust"): each behaviour from a real-shaped fixture, next
// to the near case that must stay as it was.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import { expectFinding, expectNoFinding, hopOf, ids, loadFixture, snapshotOf, traceOf } from '../../support/snapshot.js';

describe('selector-matches-multiple-workloads', () => {
  test('three versions of one app behind one Service (bookinfo reviews v1, v2, v3): info', () => {
    const trace = traceOf('versions-of-one-app');
    const finding = expectFinding(trace, 'selector-matches-multiple-workloads', 'info', '3 versions of reviews', 'Deployment/reviews-v1', 'Deployment/reviews-v2');
    assert.match(finding.hint, /add the version label to the selector/);
    assert.equal(trace.verdict, 'ok');
  });

  test('near: a canary Deployment that differs by another label (track=canary) stays a warning', () => {
    expectFinding(traceOf('two-deployments'), 'selector-matches-multiple-workloads', 'warning', '2 workloads');
  });

  test('near: two different apps under one selector stay a warning, even with version labels', () => {
    const fixture = loadFixture('versions-of-one-app');
    fixture.service.spec.selector = { version: 'v1' };
    for (const pod of fixture.pods.items) pod.metadata.labels = { ...pod.metadata.labels, version: 'v1' };
    fixture.pods.items[2]!.metadata.labels!.app = 'ratings';
    expectFinding(analyze(snapshotOf(fixture)), 'selector-matches-multiple-workloads', 'warning', 'workloads');
  });

  test('near: the same version label on every workload is not "versions of one app"', () => {
    const fixture = loadFixture('versions-of-one-app');
    for (const pod of fixture.pods.items) pod.metadata.labels!.version = 'v1';
    expectFinding(analyze(snapshotOf(fixture)), 'selector-matches-multiple-workloads', 'warning', 'workloads');
  });

  test('app.kubernetes.io/name and app.kubernetes.io/version count as the app and its version', () => {
    const fixture = loadFixture('versions-of-one-app');
    for (const pod of fixture.pods.items) {
      const { version, app, ...rest } = pod.metadata.labels!;
      pod.metadata.labels = { ...rest, 'app.kubernetes.io/name': app!, 'app.kubernetes.io/version': version! };
    }
    fixture.service.spec.selector = { 'app.kubernetes.io/name': 'reviews' };
    expectFinding(analyze(snapshotOf(fixture)), 'selector-matches-multiple-workloads', 'info', 'versions of reviews');
  });
});

describe('pods in a terminal phase', () => {
  test("a finished Job's Succeeded pod with the app label is not a second workload, nor a backend", () => {
    const trace = traceOf('job-succeeded-pods');
    expectNoFinding(trace, 'selector-matches-multiple-workloads');
    expectNoFinding(trace, 'target-port-missing');
    assert.ok(!hopOf(trace, 'backend').backends.some((row) => row.pod === 'web-warmup-x7k2q'));
    assert.equal(trace.verdict, 'ok');
  });

  test('near: the same pod still running is a second workload', () => {
    const fixture = loadFixture('job-succeeded-pods');
    fixture.pods.items.find((pod) => pod.metadata.name === 'web-warmup-x7k2q')!.status!.phase = 'Running';
    expectFinding(analyze(snapshotOf(fixture)), 'selector-matches-multiple-workloads', 'warning', 'Job/web-warmup');
  });
});

describe('serving-terminating-fallback', () => {
  test('the only endpoint is serving and terminating (the last pod shutting down): degraded, not broken', () => {
    const trace = traceOf('last-pod-terminating');
    expectFinding(trace, 'serving-terminating-fallback', 'warning', 'none of 1 endpoint(s) is ready', 'web-7d9c5b6f4d-nfh7v');
    expectNoFinding(trace, 'no-ready-endpoints');
    assert.equal(trace.verdict, 'degraded');
  });

  test('near: a terminating endpoint that no longer serves leaves nothing: broken', () => {
    const fixture = loadFixture('last-pod-terminating');
    fixture.endpointSlices.items[0]!.endpoints![0]!.conditions = { ready: false, serving: false, terminating: true };
    const trace = analyze(snapshotOf(fixture));
    expectFinding(trace, 'no-ready-endpoints', 'error', 'terminating');
    expectNoFinding(trace, 'serving-terminating-fallback');
  });

  test('near: with a ready endpoint beside it, the terminating one is only listed (info)', () => {
    const trace = traceOf('rollout-terminating');
    expectNoFinding(trace, 'serving-terminating-fallback');
    expectFinding(trace, 'endpoints-terminating', 'info');
  });
});

describe('stale-endpoint (Service without selector)', () => {
  test('a hand-made slice naming a pod that is gone, and a pod-network address no pod has: error', () => {
    const trace = traceOf('selectorless-stale-endpoint');
    const finding = expectFinding(trace, 'stale-endpoint', 'error', '10.244.1.7 (pod postgres-0 does not exist)', '10.244.2.9 (in the pod network, and no pod has it)');
    assert.deepEqual(finding.objects.map((o) => `${o.kind}/${o.name}`), ['Service/payments-db', 'EndpointSlice/payments-db-1']);
    assert.equal(trace.verdict, 'broken');
  });

  test('only one of two endpoints stale: a warning', () => {
    const fixture = loadFixture('selectorless-stale-endpoint');
    fixture.endpointSlices.items[0]!.endpoints![1]!.addresses = ['10.244.2.8']; // web-7d9c5b6f4d-7b2nj has it
    expectFinding(analyze(snapshotOf(fixture)), 'stale-endpoint', 'warning', '1 endpoint(s)', 'postgres-0');
  });

  test('near: addresses outside every pod range (a database VM) are never stale', () => {
    const fixture = loadFixture('selectorless-stale-endpoint');
    fixture.endpointSlices.items[0]!.endpoints = loadFixture('external-database').endpointSlices.items[0]!.endpoints;
    const trace = analyze(snapshotOf(fixture));
    expectNoFinding(trace, 'stale-endpoint');
    assert.equal(trace.verdict, 'ok');
  });

  test('near: a targetRef to a pod that exists with that address', () => {
    const fixture = loadFixture('selectorless-stale-endpoint');
    fixture.endpointSlices.items[0]!.endpoints = [
      { addresses: ['10.244.1.12'], conditions: { ready: true }, targetRef: { kind: 'Pod', namespace: 'shop', name: 'web-7d9c5b6f4d-nfh7v' } },
    ];
    expectNoFinding(analyze(snapshotOf(fixture)), 'stale-endpoint');
  });

  test('pods that may not be listed: nothing is called stale', () => {
    expectNoFinding(traceOf('selectorless-stale-endpoint', { podsOfNamespace: { skipped: 'pods: forbidden to list (RBAC)' } }), 'stale-endpoint');
  });
});

describe('endpoint-port-name-mismatch (Service without selector)', () => {
  test('slice port db under Service port postgres: kube-proxy pairs by name, so the port has no endpoint', () => {
    const trace = traceOf('selectorless-port-name-mismatch');
    const finding = expectFinding(trace, 'endpoint-port-name-mismatch', 'error', 'Service port postgres has no endpoints', 'named db');
    assert.match(finding.hint, /name the EndpointSlice port "postgres"/);
    assert.equal(trace.verdict, 'broken');
  });

  test('near: the same slice with the port named postgres', () => {
    const trace = traceOf('external-database');
    expectNoFinding(trace, 'endpoint-port-name-mismatch');
    assert.deepEqual(ids(trace), []);
  });

  test('near: a Service with a selector: the controller names slice ports, target-port findings speak instead', () => {
    expectNoFinding(traceOf('named-port-missing'), 'endpoint-port-name-mismatch');
  });
});
