// `--from` offline: the client is looked up in the manifests as the live gatherer looks it up in the
// API — a pod by name, a would-be pod of a workload, a node, outside — with the same exit codes.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Readable } from 'node:stream';

import { analyze } from '../../../src/analyze/trace.js';
import { loadManifests } from '../../../src/cluster/manifests.js';
import { offlineSnapshot } from '../../../src/cluster/offline.js';
import { SvcTraceError } from '../../../src/errors.js';
import { parseClientReference } from '../../../src/kube/client-reference.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { expectFinding, expectNoFinding, hopOf } from '../../support/snapshot.js';

const load = () => loadManifests([path.resolve('test/fixtures/manifests/clients.yaml')], Readable.from([]));
const snapshotFrom = (objects: KubeObject[], from?: string, fromNamespace?: string) =>
  offlineSnapshot(objects, { namespace: 'shop', name: 'web', client: parseClientReference(from, fromNamespace) });

function refused(objects: KubeObject[], from: string): SvcTraceError {
  try {
    snapshotFrom(objects, from);
  } catch (error) {
    assert.ok(error instanceof SvcTraceError);
    return error;
  }
  assert.fail(`--from ${from} should be refused`);
}

describe('offline --from', () => {
  test('a bare pod by name, in another namespace, with that namespace\'s labels', async () => {
    const snapshot = snapshotFrom(await load(), 'payments/pod/client');
    assert.equal(snapshot.client.kind, 'pod');
    assert.equal(snapshot.client.kind === 'pod' && snapshot.client.pod.metadata.namespace, 'payments');
    const trace = analyze(snapshot);
    // payments carries no entry label: the NetworkPolicy's namespaceSelector does not admit it.
    expectFinding(trace, 'network-policy-blocks', 'error', 'pod client in namespace payments');
    assert.equal(trace.verdict, 'broken');
    assert.equal(hopOf(trace, 'client').summary, 'pod payments/client');
    assert.ok(hopOf(trace, 'dns').notes.some((note) => note.startsWith('the short name web does not resolve from namespace payments') && note.endsWith('use web.shop')));
    assert.ok(!hopOf(trace, 'dns').records.some((record) => record.name === 'web'));
  });

  test('near: a would-be pod of a Deployment in a namespace the namespaceSelector admits by its real labels', async () => {
    const trace = analyze(snapshotFrom(await load(), 'ingress-nginx/deploy/ingress-nginx-controller'));
    expectNoFinding(trace, 'network-policy-blocks');
    assert.equal(trace.verdict, 'ok');
    assert.equal(hopOf(trace, 'client').summary, 'pod ingress-nginx/ingress-nginx-controller (one of deployment ingress-nginx-controller)');
    assert.deepEqual(hopOf(trace, 'backend').backends.map((backend) => backend.networkPolicy), ['allowed']);
  });

  test('--from-namespace: a generic pod there; no pod of an unlabelled namespace is admitted, so it is a break', async () => {
    const objects = await load();
    const denied = analyze(snapshotFrom(objects, undefined, 'payments'));
    expectFinding(denied, 'network-policy-blocks', 'error', 'an unlabelled pod in namespace payments');
    expectNoFinding(denied, 'network-policy-restricts');
    const admitted = analyze(snapshotFrom(objects, undefined, 'ingress-nginx'));
    assert.equal(admitted.verdict, 'ok');
    assert.equal(hopOf(admitted, 'client').summary, 'a pod in namespace ingress-nginx');
  });

  test('workloads of every kind stand for one of their would-be pods', async () => {
    const objects = await load();
    for (const [from, pod] of [['sts/db', 'db'], ['ds/agent', 'agent'], ['job/report', 'report'], ['deploy/web', 'web']]) {
      const client = snapshotFrom(objects, from).client;
      assert.equal(client.kind === 'pod' && client.pod.metadata.name, pod, from);
    }
  });

  test('a node: from the manifests when they hold Nodes, else by name alone', async () => {
    const objects = await load();
    assert.deepEqual(snapshotFrom(objects, 'node/worker-1').client, { kind: 'node', name: 'worker-1' });
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.1.11' }] } };
    const withNode = [...objects, node as KubeObject];
    assert.equal(snapshotFrom(withNode, 'node/worker-1').client.kind, 'node');
    const missing = refused(withNode, 'node/worker-9');
    assert.equal(missing.exitCode, 4);
    assert.match(missing.message, /node worker-9 not found in the manifests/);
  });

  test('external', async () => {
    assert.deepEqual(snapshotFrom(await load(), 'external').client, { kind: 'external' });
  });

  test('a client that is not in the manifests: exit 4, naming what is there', async () => {
    const objects = await load();
    const pod = refused(objects, 'pod/does-not-exist');
    assert.equal(pod.exitCode, 4);
    assert.match(pod.message, /pod does-not-exist not found in namespace shop of the manifests/);
    assert.match(pod.hint, /web, db, agent, report/);
    const deployment = refused(objects, 'deploy/ingress-nginx-controller');
    assert.equal(deployment.exitCode, 4, 'it is in namespace ingress-nginx, not shop');
    assert.match(deployment.message, /deployment ingress-nginx-controller not found in namespace shop/);
  });
});
