// The routing hop: traffic policies, session affinity, topology-aware routing, the proxy in charge.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import {
  expectFinding,
  expectNoFinding,
  externalClient,
  hopOf,
  loadFixture,
  nodeClient,
  podClient,
  snapshotOf,
  traceOf,
} from '../../support/snapshot.js';

describe('external-traffic-local-gaps', () => {
  test('externalTrafficPolicy Local with both pods on one node lists the other nodes', () => {
    const trace = traceOf('loadbalancer-local-gaps');
    const finding = expectFinding(trace, 'external-traffic-local-gaps', 'warning', '2 of 3 nodes', 'worker-2, worker-3');
    assert.ok(!finding.message.includes('worker-1'));
    assert.equal(hopOf(trace, 'routing').status, 'warn');
    assert.ok(hopOf(trace, 'routing').rules.includes('nodes that can serve: worker-1'));
  });

  test('near: Local with a ready endpoint on every node', () => {
    const trace = traceOf('daemonset-nodeport-local');
    expectNoFinding(trace, 'external-traffic-local-gaps');
    assert.ok(hopOf(trace, 'routing').rules.some((rule) => rule.startsWith('externalTrafficPolicy Local')));
  });

  test('near: Cluster with the same gaps', () => {
    const fixture = loadFixture('loadbalancer-local-gaps');
    fixture.service.spec.externalTrafficPolicy = 'Cluster';
    delete fixture.service.spec.healthCheckNodePort;
    const trace = analyze(snapshotOf(fixture));
    expectNoFinding(trace, 'external-traffic-local-gaps');
    assert.ok(hopOf(trace, 'routing').rules.some((rule) => rule.startsWith('externalTrafficPolicy Cluster')));
  });

  test('a not-ready endpoint does not cover its node', () => {
    const fixture = loadFixture('daemonset-nodeport-local');
    const endpoint = fixture.endpointSlices.items[0]!.endpoints!.find((e) => e.nodeName === 'worker-3')!;
    endpoint.conditions = { ready: false, serving: false, terminating: false };
    expectFinding(analyze(snapshotOf(fixture)), 'external-traffic-local-gaps', 'warning', '1 of 3 nodes', 'worker-3');
  });
});

describe('internal-traffic-local-gaps', () => {
  test('the generic client may run on any node: the nodes without a backend are named', () => {
    const trace = traceOf('internal-traffic-local');
    const finding = expectFinding(trace, 'internal-traffic-local-gaps', 'warning', 'clients on worker-3');
    assert.ok(!finding.message.includes('worker-1') && !finding.message.includes('worker-2'));
  });

  test('--from a client pod on a node without a backend: its traffic is dropped, an error', () => {
    const fixture = loadFixture('internal-traffic-local');
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, 'frontend-6c8f7b9d5c-4gbq8') }));
    expectFinding(trace, 'internal-traffic-local-gaps', 'error', 'pod frontend-6c8f7b9d5c-4gbq8 runs on worker-3, which has no ready endpoint', 'dropped');
    assert.equal(trace.verdict, 'broken');
  });

  test('near: a client pod on a node with a backend', () => {
    const fixture = loadFixture('internal-traffic-local');
    const trace = analyze(snapshotOf(fixture, { client: podClient(fixture, 'frontend-6c8f7b9d5c-b9vll') }));
    expectNoFinding(trace, 'internal-traffic-local-gaps');
    assert.equal(trace.verdict, 'ok');
  });

  test('near: --from a node that has a backend', () => {
    const fixture = loadFixture('internal-traffic-local');
    expectNoFinding(analyze(snapshotOf(fixture, { client: nodeClient(fixture, 'worker-2') })), 'internal-traffic-local-gaps');
    expectFinding(analyze(snapshotOf(fixture, { client: nodeClient(fixture, 'worker-3') })), 'internal-traffic-local-gaps', 'error', 'node worker-3 has no ready endpoint');
  });

  test('near: internalTrafficPolicy Cluster with the same backends', () => {
    const fixture = loadFixture('internal-traffic-local');
    fixture.service.spec.internalTrafficPolicy = 'Cluster';
    expectNoFinding(analyze(snapshotOf(fixture)), 'internal-traffic-local-gaps');
  });

  test('near: traffic from outside the cluster is not internal traffic', () => {
    const fixture = loadFixture('internal-traffic-local');
    expectNoFinding(analyze(snapshotOf(fixture, { client: externalClient })), 'internal-traffic-local-gaps');
  });
});

describe('session-affinity', () => {
  test('ClientIP stickiness with its timeout', () => {
    const trace = traceOf('client-ip-affinity');
    expectFinding(trace, 'session-affinity', 'info', 'ClientIP', '3600s');
    assert.ok(hopOf(trace, 'routing').rules.includes('sessionAffinity ClientIP (3600s)'));
  });

  test('near: sessionAffinity None', () => {
    const trace = traceOf('healthy-web');
    expectNoFinding(trace, 'session-affinity');
    assert.ok(hopOf(trace, 'routing').rules.includes('no session affinity'));
  });
});

describe('topology-hints-missing', () => {
  test('topology-mode Auto with slices that carry no hints', () => {
    const trace = traceOf('topology-auto-no-hints');
    expectFinding(trace, 'topology-hints-missing', 'warning', 'service.kubernetes.io/topology-mode=Auto');
    assert.equal(hopOf(trace, 'routing').status, 'warn');
  });

  test('trafficDistribution asks for it too', () => {
    const fixture = loadFixture('topology-auto-no-hints');
    delete fixture.service.metadata.annotations;
    fixture.service.spec.trafficDistribution = 'PreferClose';
    expectFinding(analyze(snapshotOf(fixture)), 'topology-hints-missing', 'warning', 'trafficDistribution PreferClose');
  });

  test('near: the slices carry zone hints', () => {
    expectNoFinding(traceOf('topology-auto-hints'), 'topology-hints-missing');
  });

  test('near: topology-mode Disabled asks for nothing', () => {
    const fixture = loadFixture('topology-auto-no-hints');
    fixture.service.metadata.annotations = { 'service.kubernetes.io/topology-mode': 'Disabled' };
    expectNoFinding(analyze(snapshotOf(fixture)), 'topology-hints-missing');
  });
});

describe('service-proxy-name', () => {
  test('the label hands the Service to another proxy', () => {
    const trace = traceOf('service-proxy-name');
    expectFinding(trace, 'service-proxy-name', 'warning', 'service.kubernetes.io/service-proxy-name=edge-proxy');
    assert.equal(hopOf(trace, 'routing').summary, 'programmed only by the proxy named edge-proxy');
  });

  test('near: no such label', () => {
    const trace = traceOf('healthy-web');
    expectNoFinding(trace, 'service-proxy-name');
    assert.equal(hopOf(trace, 'routing').summary, 'kube-proxy load-balances each connection over the ready endpoints');
  });
});
