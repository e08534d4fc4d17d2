// The trace as a whole: the hop chain and its statuses, the verdict, the Service summary, the client.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';

import type { HopStatus, Trace } from '../../../src/analyze/model.js';
import { analyze, verdictOf } from '../../../src/analyze/trace.js';
import { externalClient, hopOf, ids, loadFixture, nodeClient, offlineSnapshotOf, podClient, snapshotOf, traceOf } from '../../support/snapshot.js';

const statuses = (trace: Trace): Record<string, HopStatus> => Object.fromEntries(trace.hops.map((hop) => [hop.kind, hop.status]));

describe('the hop chain', () => {
  test('six hops, in the order a packet takes them', () => {
    assert.deepEqual(
      traceOf('healthy-web').hops.map((hop) => hop.kind),
      ['client', 'dns', 'frontend', 'routing', 'endpoint', 'backend'],
    );
  });

  const cases: Array<[string, Record<string, HopStatus>]> = [
    ['healthy-web', { client: 'ok', dns: 'ok', frontend: 'ok', routing: 'ok', endpoint: 'ok', backend: 'ok' }],
    ['readiness-failing', { client: 'ok', dns: 'ok', frontend: 'ok', routing: 'ok', endpoint: 'warn', backend: 'ok' }],
    ['no-ready-endpoints', { client: 'ok', dns: 'ok', frontend: 'ok', routing: 'ok', endpoint: 'fail', backend: 'ok' }],
    ['selector-typo', { client: 'ok', dns: 'ok', frontend: 'ok', routing: 'ok', endpoint: 'fail', backend: 'skip' }],
    ['loadbalancer-pending', { client: 'ok', dns: 'ok', frontend: 'fail', routing: 'ok', endpoint: 'ok', backend: 'ok' }],
    ['loadbalancer-local-gaps', { client: 'ok', dns: 'ok', frontend: 'ok', routing: 'warn', endpoint: 'ok', backend: 'ok' }],
    ['named-port-missing', { client: 'ok', dns: 'ok', frontend: 'ok', routing: 'ok', endpoint: 'ok', backend: 'fail' }],
    ['named-port-partial-rollout', { client: 'ok', dns: 'ok', frontend: 'ok', routing: 'ok', endpoint: 'ok', backend: 'warn' }],
    ['externalname', { client: 'ok', dns: 'ok', frontend: 'ok', routing: 'ok', endpoint: 'skip', backend: 'skip' }],
  ];
  for (const [fixture, expected] of cases) {
    test(`${fixture}: the hop that holds the problem carries its status`, () => {
      assert.deepEqual(statuses(traceOf(fixture)), expected);
    });
  }

  test('an info finding leaves its hop ok', () => {
    assert.equal(hopOf(traceOf('client-ip-affinity'), 'routing').status, 'ok');
    assert.equal(hopOf(traceOf('nodeport'), 'frontend').status, 'ok');
  });

  test('every fixture: a hop that is not skipped is as bad as the worst finding on it', () => {
    const fixtures = readdirSync('test/fixtures/cluster').filter((file) => file.endsWith('.json'));
    assert.ok(fixtures.length > 30);
    for (const name of fixtures.map((file) => file.replace(/\.json$/, ''))) {
      const trace = traceOf(name);
      for (const hop of trace.hops.filter((h) => h.status !== 'skip')) {
        const levels = trace.findings.filter((f) => f.hop === hop.kind).map((f) => f.level);
        const worst = levels.includes('error') ? 'fail' : levels.includes('warning') ? 'warn' : 'ok';
        assert.equal(hop.status, worst, `${name}: the ${hop.kind} hop`);
      }
    }
  });
});

describe('the order of the findings', () => {
  test('within a level, hop by hop, with the Warning events of the Service last', () => {
    assert.deepEqual(ids(traceOf('topology-auto-no-hints')), ['topology-hints-missing', 'warning-events']);
  });

  test('what --port asked comes before the findings of every hop', () => {
    const trace = traceOf('externalname', { externalName: { clusterService: { namespace: 'shop', name: 'payments' }, found: false } }, { port: 'nope' });
    assert.deepEqual(ids(trace).slice(0, 2), ['port-not-found', 'externalname-unresolvable']);
  });
});

describe('verdict', () => {
  test('ok without warnings or errors, degraded with warnings only, broken with an error', () => {
    assert.equal(traceOf('single-replica').verdict, 'ok'); // an info finding
    assert.equal(traceOf('readiness-failing').verdict, 'degraded');
    assert.equal(traceOf('no-ready-endpoints').verdict, 'broken');
  });

  test('an error wins over warnings', () => {
    const findings = [...traceOf('two-deployments').findings, ...traceOf('selector-typo').findings];
    assert.equal(verdictOf(findings), 'broken');
    assert.equal(verdictOf([]), 'ok');
  });
});

describe('the Service summary', () => {
  test('ports as kubectl prints them, ClusterIP, selector', () => {
    const { service } = traceOf('healthy-web');
    assert.deepEqual(service, {
      namespace: 'shop',
      name: 'web',
      type: 'ClusterIP',
      clusterIP: '10.96.45.12',
      external: [],
      ports: ['80/TCP', '9090/TCP'],
      selector: { app: 'web' },
    });
  });

  test('a NodePort shows port:nodePort', () => {
    assert.deepEqual(traceOf('nodeport').service.ports, ['80:30080/TCP']);
  });

  test('the trace is the public document: apiVersion, kind, source', () => {
    const trace = traceOf('healthy-web');
    assert.equal(trace.apiVersion, 'svc-trace/v1');
    assert.equal(trace.kind, 'Trace');
    assert.equal(trace.source, 'cluster');
    assert.equal(analyze(offlineSnapshotOf(loadFixture('healthy-web'))).source, 'manifests');
  });
});

describe('the client hop', () => {
  const fixture = loadFixture('healthy-web');
  const clientOf = (trace: Trace) => hopOf(trace, 'client');

  test('default: a pod of the Service namespace', () => {
    assert.equal(clientOf(analyze(snapshotOf(fixture))).summary, 'a pod in namespace shop');
  });

  test('--from a pod: its namespace, node and IP', () => {
    const hop = clientOf(analyze(snapshotOf(fixture, { client: podClient(fixture, 'frontend-6c8f7b9d5c-b9vll') })));
    assert.equal(hop.summary, 'pod shop/frontend-6c8f7b9d5c-b9vll on worker-3');
    assert.deepEqual(hop.client, { kind: 'pod', name: 'frontend-6c8f7b9d5c-b9vll', namespace: 'shop', node: 'worker-3', ip: '10.244.3.21' });
  });

  test('--from a node and --from external', () => {
    const nodeFixture = loadFixture('nodeport');
    assert.equal(clientOf(analyze(snapshotOf(nodeFixture, { client: nodeClient(nodeFixture, 'worker-2') }))).summary, 'node worker-2 (host network)');
    assert.equal(clientOf(analyze(snapshotOf(fixture, { client: externalClient }))).summary, 'outside the cluster');
  });
});

describe('the backend hop', () => {
  test('one row per pod and Service port, with the container port the traffic lands on', () => {
    const hop = hopOf(traceOf('healthy-web'), 'backend');
    assert.equal(hop.summary, '2 pod(s), container port 8080, 9090');
    assert.deepEqual(
      hop.backends.map((row) => `${row.pod} ${row.servicePort}→${row.container}:${row.containerPort}/${row.protocol} on ${row.node}`),
      [
        'web-7d9c5b6f4d-nfh7v http→web:8080/TCP on worker-1',
        'web-7d9c5b6f4d-7b2nj http→web:8080/TCP on worker-2',
        'web-7d9c5b6f4d-nfh7v metrics→web:9090/TCP on worker-1',
        'web-7d9c5b6f4d-7b2nj metrics→web:9090/TCP on worker-2',
      ],
    );
  });
});
