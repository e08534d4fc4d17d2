// The dns hop: the names a client resolves and their answers (headless-service,
// externalname-unresolvable).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import { expectFinding, expectNoFinding, hopOf, loadFixture, offlineSnapshotOf, podClient, snapshotOf, traceOf } from '../../support/snapshot.js';

describe('ClusterIP Service', () => {
  test('every name a pod of the namespace may use answers the ClusterIP', () => {
    const hop = hopOf(traceOf('healthy-web'), 'dns');
    assert.deepEqual(
      hop.records.map((record) => `${record.name} ${record.type} ${record.answers.join(',')}`),
      [
        'web A/AAAA 10.96.45.12',
        'web.shop A/AAAA 10.96.45.12',
        'web.shop.svc A/AAAA 10.96.45.12',
        'web.shop.svc.cluster.local A/AAAA 10.96.45.12',
      ],
    );
    assert.equal(hop.summary, 'web.shop.svc.cluster.local → 10.96.45.12');
    assert.equal(hop.status, 'ok');
  });

  test('from another namespace the short name does not resolve, and a note says which name to use', () => {
    const fixture = loadFixture('healthy-web');
    const hop = hopOf(analyze(snapshotOf(fixture, { client: { kind: 'generic', namespace: 'payments', namespaceLabels: {} } })), 'dns');
    assert.equal(hop.records[0]!.name, 'web.shop');
    assert.deepEqual(hop.notes, [
      "the short name web does not resolve from namespace payments (the client's search path looks for web.payments.svc.cluster.local): use web.shop",
    ]);
  });

  test('near: headless-service is not raised for a Service with a ClusterIP', () => {
    expectNoFinding(traceOf('healthy-web'), 'headless-service');
  });
});

describe('headless-service', () => {
  test('DNS answers the ready pod IPs, and each StatefulSet pod has a name of its own', () => {
    const trace = traceOf('headless-statefulset');
    expectFinding(trace, 'headless-service', 'info', 'clusterIP: None');
    const hop = hopOf(trace, 'dns');
    assert.deepEqual(
      hop.records.map((record) => `${record.name} ${record.answers.join(',')}`),
      [
        'db 10.244.1.20,10.244.2.20',
        'db.shop 10.244.1.20,10.244.2.20',
        'db.shop.svc 10.244.1.20,10.244.2.20',
        'db.shop.svc.cluster.local 10.244.1.20,10.244.2.20',
        'db-0.db.shop.svc.cluster.local 10.244.1.20',
        'db-1.db.shop.svc.cluster.local 10.244.2.20',
      ],
    );
    // db-2 is not ready: neither in the answers nor with a record of its own.
    assert.ok(!hop.records.some((record) => record.name.startsWith('db-2.')));
    assert.equal(hopOf(trace, 'frontend').summary, 'headless: no virtual IP');
    assert.deepEqual(hopOf(trace, 'frontend').entries, []);
  });

  test('with publishNotReadyAddresses the not-ready pod is published too', () => {
    const hop = hopOf(traceOf('headless-publish-not-ready'), 'dns');
    assert.deepEqual(hop.records[0]!.answers, ['10.244.1.20', '10.244.2.20', '10.244.3.20']);
    assert.ok(hop.records.some((record) => record.name === 'db-2.db.shop.svc.cluster.local'));
  });

  test('a headless Service with no ready pod answers nothing', () => {
    const fixture = loadFixture('headless-statefulset');
    for (const endpoint of fixture.endpointSlices.items[0]!.endpoints!) endpoint.conditions = { ready: false, serving: false, terminating: false };
    const record = hopOf(analyze(snapshotOf(fixture)), 'dns').records[0]!;
    assert.deepEqual([record.type, record.answers], ['none', []]);
  });
});

describe('ExternalName', () => {
  test('DNS answers a CNAME to the external name; endpoint and backend hops are skipped', () => {
    const trace = traceOf('externalname', { externalName: { addresses: ['192.0.2.80'] } });
    const hop = hopOf(trace, 'dns');
    assert.ok(hop.records.every((record) => record.type === 'CNAME' && record.answers[0] === 'api.billing.example.com'));
    assert.equal(hop.records.at(-1)!.name, 'billing-api.shop.svc.cluster.local');
    assert.equal(hopOf(trace, 'endpoint').status, 'skip');
    assert.equal(hopOf(trace, 'backend').status, 'skip');
    assert.deepEqual(trace.service.external, ['api.billing.example.com']);
    assert.equal(trace.verdict, 'ok');
  });

  test('externalname-unresolvable: an outside name that does not resolve from the workstation is a warning that says so', () => {
    const trace = traceOf('externalname', { externalName: { error: 'ENOTFOUND' } });
    const finding = expectFinding(trace, 'externalname-unresolvable', 'warning', 'api.billing.example.com', 'from the machine running svc-trace', 'ENOTFOUND');
    assert.match(finding.hint, /cluster's DNS may resolve what this machine cannot/);
    assert.equal(hopOf(trace, 'dns').status, 'warn');
    assert.equal(trace.verdict, 'degraded');
  });

  test('a name under the cluster domain is checked through the API: a Service that exists and has endpoints is ok', () => {
    const trace = traceOf('externalname', {
      externalName: { clusterService: { namespace: 'shop', name: 'payments' }, found: true, readyEndpoints: 2 },
    });
    expectNoFinding(trace, 'externalname-unresolvable');
    assert.ok(hopOf(trace, 'dns').notes.includes('a name of the cluster, checked through the API: Service shop/payments has 2 ready endpoint(s)'));
    assert.equal(trace.verdict, 'ok');
  });

  test('a name under the cluster domain whose Service does not exist: an error', () => {
    const trace = traceOf('externalname', { externalName: { clusterService: { namespace: 'shop', name: 'payments' }, found: false } });
    expectFinding(trace, 'externalname-unresolvable', 'error', 'no Service payments in namespace shop (checked through the API)');
    assert.equal(trace.verdict, 'broken');
  });

  test('a name under the cluster domain whose Service has no ready endpoint: an error', () => {
    const trace = traceOf('externalname', { externalName: { clusterService: { namespace: 'shop', name: 'payments' }, found: true, readyEndpoints: 0 } });
    const finding = expectFinding(trace, 'externalname-target-no-endpoints', 'error', 'Service shop/payments, which has no ready endpoint');
    assert.equal(finding.hint, 'trace that Service: kubectl svc-trace payments -n shop');
  });

  test('near: the target resolves', () => {
    expectNoFinding(traceOf('externalname', { externalName: { addresses: ['192.0.2.80'] } }), 'externalname-unresolvable');
  });

  test('near: offline the name is not resolved, and the hop says so instead of failing', () => {
    const trace = analyze(offlineSnapshotOf(loadFixture('externalname')));
    expectNoFinding(trace, 'externalname-unresolvable');
    assert.deepEqual(hopOf(trace, 'dns').notes, ['offline: DNS is not resolved']);
  });

  test('an ExternalName Service has no selector findings even without endpoints', () => {
    const trace = traceOf('externalname', { externalName: { addresses: ['192.0.2.80'] } });
    expectNoFinding(trace, 'no-selector-no-endpoints');
    expectNoFinding(trace, 'no-ready-endpoints');
  });
});

describe('client notes', () => {
  test('a pod client in the namespace uses the short name; a node gets a note about the cluster DNS', () => {
    const fixture = loadFixture('healthy-web');
    const fromPod = hopOf(analyze(snapshotOf(fixture, { client: podClient(fixture, 'frontend-6c8f7b9d5c-b9vll') })), 'dns');
    assert.equal(fromPod.records[0]!.name, 'web');
    const fromNode = hopOf(analyze(snapshotOf(fixture, { client: { kind: 'node', name: 'worker-1' } })), 'dns');
    assert.deepEqual(fromNode.notes, ['nodes usually do not use the cluster DNS: connect to the ClusterIP or a pod name from a pod']);
  });
});
