// The endpoint hop and its findings: who the selector selects, which EndpointSlice endpoints are
// ready, and what that means for the user.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import {
  expectFinding,
  expectNoFinding,
  findingOf,
  hopOf,
  ids,
  loadFixture,
  offlineSnapshotOf,
  snapshotOf,
  traceOf,
} from '../../support/snapshot.js';

describe('selector-matches-no-pods', () => {
  test('names the selector and the workloads whose labels almost match, with what differs', () => {
    const trace = traceOf('selector-typo');
    const finding = expectFinding(trace, 'selector-matches-no-pods', 'error', 'app=web,tier=frontend', 'namespace shop');
    assert.equal(
      finding.hint,
      'closest pods: Deployment/web has tier=front (selector wants frontend); Deployment/api has app=api (selector wants web), ' +
        'tier=backend (selector wants frontend) — fix the Service selector or the pod template labels',
    );
    // The redis pods share no label key with the selector: not a near miss.
    assert.ok(!finding.hint.includes('redis'));
    assert.equal(trace.verdict, 'broken');
    assert.equal(hopOf(trace, 'endpoint').status, 'fail');
  });

  test('in an empty namespace the hint says so instead of naming near misses', () => {
    const fixture = loadFixture('selector-typo');
    fixture.pods.items = [];
    const finding = findingOf(analyze(snapshotOf(fixture)), 'selector-matches-no-pods');
    assert.match(finding.hint, /^no pod in namespace shop has these labels/);
  });

  test('the placeholder EndpointSlice of a Service that selects nothing is not taken for a backend', () => {
    const trace = traceOf('selector-typo');
    assert.deepEqual(trace.endpoints, { ready: 0, total: 0 });
    expectNoFinding(trace, 'no-ready-endpoints');
    expectNoFinding(trace, 'ip-family-without-endpoints');
    assert.equal(hopOf(trace, 'backend').status, 'skip');
  });

  test('near: a selector that selects the pods', () => {
    expectNoFinding(traceOf('healthy-web'), 'selector-matches-no-pods');
  });

  test('offline, would-be pods from templates are enough to find the mismatch', () => {
    const trace = analyze(offlineSnapshotOf(loadFixture('selector-typo')));
    expectFinding(trace, 'selector-matches-no-pods', 'error', 'app=web,tier=frontend');
  });
});

describe('no-ready-endpoints', () => {
  test('names every pod and why it is not ready, including a pod that is in no EndpointSlice', () => {
    const trace = traceOf('no-ready-endpoints');
    const finding = expectFinding(
      trace,
      'no-ready-endpoints',
      'error',
      'web-7d9c5b6f4d-nfh7v (readiness probe of web failing)',
      'web-7d9c5b6f4d-7b2nj (Pending (ImagePullBackOff))',
      'web-7d9c5b6f4d-fpsps (Pending (Unschedulable))',
    );
    assert.match(finding.message, /^none of 3 endpoint\(s\) is ready/);
    assert.deepEqual(trace.endpoints, { ready: 0, total: 2 });
    assert.equal(trace.verdict, 'broken');
    assert.equal(hopOf(trace, 'endpoint').status, 'fail');
    // No ready endpoint is also not "some" not ready, nor a single one.
    expectNoFinding(trace, 'some-endpoints-not-ready');
    expectNoFinding(trace, 'single-endpoint');
  });

  test('each endpoint row carries the reason of its pod', () => {
    const rows = hopOf(traceOf('no-ready-endpoints'), 'endpoint').endpoints;
    assert.deepEqual(
      rows.map((row) => [row.pod, row.ready, row.reason]),
      [
        ['web-7d9c5b6f4d-nfh7v', false, 'readiness probe of web failing'],
        ['web-7d9c5b6f4d-7b2nj', false, 'Pending (ImagePullBackOff)'],
      ],
    );
  });

  test('a Service without selector whose own endpoints are all not ready', () => {
    const fixture = loadFixture('external-database');
    for (const endpoint of fixture.endpointSlices.items[0]!.endpoints!) endpoint.conditions = { ready: false };
    const finding = expectFinding(analyze(snapshotOf(fixture)), 'no-ready-endpoints', 'error', 'none of 2 endpoint(s)', '10.20.0.15 (not ready)');
    assert.ok(finding.message.includes('10.20.0.16 (not ready)'));
  });

  test('near: one ready endpoint among not-ready ones is a warning, not this error', () => {
    expectNoFinding(traceOf('readiness-failing'), 'no-ready-endpoints');
  });
});

describe('some-endpoints-not-ready', () => {
  test('names the not-ready pods with their reasons: readiness probe, crash loop', () => {
    const trace = traceOf('readiness-failing');
    const finding = expectFinding(
      trace,
      'some-endpoints-not-ready',
      'warning',
      '2 of 3 endpoints not ready',
      'web-7d9c5b6f4d-7b2nj (readiness probe of web failing)',
      'web-7d9c5b6f4d-tl7bw (container web CrashLoopBackOff)',
    );
    assert.deepEqual(
      finding.objects.filter((object) => object.kind === 'Pod').map((object) => object.name),
      ['web-7d9c5b6f4d-7b2nj', 'web-7d9c5b6f4d-tl7bw'],
    );
    assert.equal(trace.verdict, 'degraded');
    assert.equal(hopOf(trace, 'endpoint').status, 'warn');
    assert.equal(hopOf(trace, 'endpoint').summary, '1/3 ready');
  });

  test('a terminating endpoint is reported as terminating, not as not ready', () => {
    const trace = traceOf('rollout-terminating');
    expectNoFinding(trace, 'some-endpoints-not-ready');
    const terminating = hopOf(trace, 'endpoint').endpoints.find((row) => row.terminating);
    assert.equal(terminating?.reason, 'terminating');
  });

  test('near: every endpoint ready', () => {
    expectNoFinding(traceOf('healthy-web'), 'some-endpoints-not-ready');
  });
});

describe('single-endpoint', () => {
  test('exactly one ready endpoint names it', () => {
    const trace = traceOf('single-replica');
    expectFinding(trace, 'single-endpoint', 'info', 'web-7d9c5b6f4d-nfh7v');
    // Info only: the Service works.
    assert.equal(trace.verdict, 'ok');
  });

  test('near: two ready endpoints', () => {
    expectNoFinding(traceOf('healthy-web'), 'single-endpoint');
  });

  test('one dual-stack pod listed in an IPv4 and an IPv6 slice is still a single endpoint', () => {
    const fixture = loadFixture('dual-stack');
    const kept = 'web-7d9c5b6f4d-nfh7v';
    for (const slice of fixture.endpointSlices.items) slice.endpoints = slice.endpoints!.filter((e) => e.targetRef?.name === kept);
    fixture.pods.items = fixture.pods.items.filter((pod) => pod.metadata.name === kept);
    const trace = analyze(snapshotOf(fixture));
    expectFinding(trace, 'single-endpoint', 'info', kept);
    assert.deepEqual(trace.endpoints, { ready: 1, total: 1 });
  });
});

describe('endpoints-terminating', () => {
  test('names the terminating endpoint of a rollout; the ready ones carry the traffic', () => {
    const trace = traceOf('rollout-terminating');
    expectFinding(trace, 'endpoints-terminating', 'info', '1 terminating endpoint(s)', 'web-7d9c5b6f4d-7b2nj');
    assert.deepEqual(trace.endpoints, { ready: 2, total: 3 });
    assert.equal(trace.verdict, 'ok');
    const row = hopOf(trace, 'endpoint').endpoints.find((r) => r.pod === 'web-7d9c5b6f4d-7b2nj');
    assert.deepEqual([row?.ready, row?.serving, row?.terminating], [false, true, true]);
  });

  test('near: no pod is being deleted', () => {
    expectNoFinding(traceOf('healthy-web'), 'endpoints-terminating');
  });
});

describe('publish-not-ready-addresses', () => {
  test('raised when the Service publishes not-ready pods on purpose', () => {
    const trace = traceOf('headless-publish-not-ready');
    expectFinding(trace, 'publish-not-ready-addresses', 'info', 'publishNotReadyAddresses is true');
    // The controller marks every endpoint ready then; serving still tells the truth.
    const row = hopOf(trace, 'endpoint').endpoints.find((r) => r.pod === 'db-2');
    assert.deepEqual([row?.ready, row?.serving], [true, false]);
    expectNoFinding(trace, 'some-endpoints-not-ready');
  });

  test('near: the same StatefulSet without it', () => {
    expectNoFinding(traceOf('headless-statefulset'), 'publish-not-ready-addresses');
  });
});

describe('selector-matches-multiple-workloads', () => {
  test('two Deployments behind one selector are named', () => {
    const trace = traceOf('two-deployments');
    const finding = expectFinding(trace, 'selector-matches-multiple-workloads', 'warning', 'app=web', '2 workloads', 'Deployment/web', 'Deployment/web-canary');
    assert.ok(finding.objects.some((object) => object.kind === 'Pod' && object.name === 'web-canary-5c8d7f6b9d-rk268'));
    assert.equal(trace.verdict, 'degraded');
  });

  test('near: two ReplicaSets of one Deployment during a rollout count as one workload', () => {
    expectNoFinding(traceOf('rollout-terminating'), 'selector-matches-multiple-workloads');
    expectNoFinding(traceOf('named-port-partial-rollout'), 'selector-matches-multiple-workloads');
  });

  test('near: the pods of one StatefulSet', () => {
    expectNoFinding(traceOf('headless-statefulset'), 'selector-matches-multiple-workloads');
  });
});

describe('no-selector-no-endpoints', () => {
  test('a Service without selector and without EndpointSlice', () => {
    const trace = traceOf('selectorless-no-endpoints');
    expectFinding(trace, 'no-selector-no-endpoints', 'error', 'no selector and no EndpointSlice');
    assert.equal(trace.verdict, 'broken');
    assert.equal(hopOf(trace, 'endpoint').status, 'fail');
  });

  test('near: a hand-made EndpointSlice serves the Service', () => {
    const trace = traceOf('external-database');
    expectNoFinding(trace, 'no-selector-no-endpoints');
    assert.equal(trace.verdict, 'ok');
  });

  test('offline, where EndpointSlices cannot be read, it is not claimed', () => {
    const trace = analyze(offlineSnapshotOf(loadFixture('selectorless-no-endpoints')));
    expectNoFinding(trace, 'no-selector-no-endpoints');
  });
});

describe('endpoint conditions as the API defines them', () => {
  test('an endpoint without a ready condition counts as ready', () => {
    const trace = traceOf('external-database');
    const rows = hopOf(trace, 'endpoint').endpoints;
    assert.deepEqual(
      rows.map((row) => [row.address, row.ready, row.serving, row.terminating]),
      [
        ['10.20.0.15', true, true, false],
        ['10.20.0.16', true, true, false],
      ],
    );
    assert.deepEqual(trace.endpoints, { ready: 2, total: 2 });
  });

  test('the backends of a Service without selector are the addresses of its slice', () => {
    const backends = hopOf(traceOf('external-database'), 'backend').backends;
    assert.deepEqual(
      backends.map((backend) => [backend.pod, backend.servicePort]),
      [
        ['10.20.0.15', 'postgres'],
        ['10.20.0.16', 'postgres'],
      ],
    );
  });
});

describe('ip-family-without-endpoints', () => {
  test('a dual-stack Service whose pods have no IPv6 address: the IPv6 slice is an empty placeholder', () => {
    const trace = traceOf('dual-stack-ipv4-only-pods');
    const finding = expectFinding(trace, 'ip-family-without-endpoints', 'warning', 'IPv6');
    assert.ok(!finding.message.includes('IPv4'));
    assert.equal(trace.verdict, 'degraded');
  });

  test('a family with no slice at all', () => {
    const fixture = loadFixture('dual-stack');
    fixture.endpointSlices.items = fixture.endpointSlices.items.filter((slice) => slice.addressType === 'IPv4');
    expectFinding(analyze(snapshotOf(fixture)), 'ip-family-without-endpoints', 'warning', 'IPv6');
  });

  test('near: dual-stack with a slice of each family', () => {
    const trace = traceOf('dual-stack');
    expectNoFinding(trace, 'ip-family-without-endpoints');
    assert.equal(trace.verdict, 'ok');
  });

  test('dual-stack pods listed in two slices count once', () => {
    const trace = traceOf('dual-stack');
    assert.equal(hopOf(trace, 'endpoint').endpoints.length, 4);
    assert.deepEqual(trace.endpoints, { ready: 2, total: 2 });
    assert.equal(hopOf(trace, 'endpoint').summary, '2/2 ready');
  });

  test('a dual-stack pod that is not ready is named once', () => {
    const fixture = loadFixture('dual-stack');
    for (const slice of fixture.endpointSlices.items) {
      for (const endpoint of slice.endpoints!) {
        if (endpoint.targetRef?.name === 'web-7d9c5b6f4d-7b2nj') endpoint.conditions = { ready: false, serving: false, terminating: false };
      }
    }
    const trace = analyze(snapshotOf(fixture));
    const finding = expectFinding(trace, 'some-endpoints-not-ready', 'warning', '1 of 2 endpoints not ready');
    assert.equal(finding.message.split('web-7d9c5b6f4d-7b2nj').length - 1, 1);
    assert.deepEqual(trace.endpoints, { ready: 1, total: 2 });
  });
});

describe('offline snapshot', () => {
  test('EndpointSlices skipped: the endpoint hop is skip and says why; counts are unknown', () => {
    const trace = analyze(offlineSnapshotOf(loadFixture('healthy-web')));
    const hop = hopOf(trace, 'endpoint');
    assert.equal(hop.status, 'skip');
    assert.deepEqual(hop.notes, ['offline: EndpointSlices exist only in a cluster']);
    assert.equal(hop.summary, '2 would-be pod(s) selected');
    assert.equal(trace.endpoints, null);
    assert.equal(trace.source, 'manifests');
    assert.deepEqual(ids(trace), []);
    assert.equal(trace.verdict, 'ok');
  });
});
