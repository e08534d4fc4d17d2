// Offline accuracy: would-be pods carry the labels their controller adds, pods an operator makes from
// custom resources are not called missing, and targetPort defaults as the API server defaults it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Readable } from 'node:stream';
import { analyze } from '../../../src/analyze/trace.js';
import { loadManifests } from '../../../src/cluster/manifests.js';
import { offlineServices, offlineSnapshot } from '../../../src/cluster/offline.js';
import { expectFinding, expectNoFinding, ids } from '../../support/snapshot.js';

const load = (name: string) => loadManifests([path.resolve('test/fixtures/manifests/accuracy', name)], Readable.from([]));

describe('would-be pods of a StatefulSet', () => {
  test('a Service per pod (statefulset.kubernetes.io/pod-name) selects that ordinal, with no error', async () => {
    const objects = await load('redis-ha.yaml');
    const snapshot = offlineSnapshot(objects, { namespace: 'default', name: 'redis-ha-announce-0' });
    assert.deepEqual(snapshot.pods.map((pod) => pod.metadata.name), ['redis-ha-server-0']);
    assert.deepEqual(snapshot.pods[0]!.metadata.labels, {
      'app.kubernetes.io/name': 'redis-ha',
      'statefulset.kubernetes.io/pod-name': 'redis-ha-server-0',
      'apps.kubernetes.io/pod-index': '0',
    });
    const trace = analyze(snapshot);
    expectNoFinding(trace, 'selector-matches-no-pods');
    assert.equal(trace.verdict, 'ok');
  });

  test('one would-be pod per ordinal, up to replicas; the index label selects too', async () => {
    const objects = await load('redis-ha.yaml');
    const byIndex = offlineSnapshot(objects, { namespace: 'default', name: 'redis-ha-by-index' });
    assert.deepEqual(byIndex.pods.map((pod) => pod.metadata.name), ['redis-ha-server-1']);
    assert.deepEqual(offlineSnapshot(objects, { namespace: 'default', name: 'redis-ha-announce-2' }).pods.map((pod) => pod.metadata.name), ['redis-ha-server-2']);
    // A Service that selects none of them sees every would-be pod of the namespace as a near miss.
    const none = offlineSnapshot(objects, { namespace: 'default', name: 'redis-ha-announce-3' });
    assert.deepEqual(none.otherPods.map((pod) => pod.metadata.name).sort(), ['redis-ha-server-0', 'redis-ha-server-1', 'redis-ha-server-2']);
  });

  test('near: an ordinal beyond replicas (redis-ha-server-3 of 3 replicas) matches nothing: still an error', async () => {
    const trace = analyze(offlineSnapshot(await load('redis-ha.yaml'), { namespace: 'default', name: 'redis-ha-announce-3' }));
    expectFinding(trace, 'selector-matches-no-pods', 'error');
  });

  test('a label whose value only the controller knows (controller-revision-hash) is taken as the selector asks', async () => {
    const trace = analyze(offlineSnapshot(await load('redis-ha.yaml'), { namespace: 'default', name: 'redis-ha-revision' }));
    expectNoFinding(trace, 'selector-matches-no-pods');
  });

  test('near: without a selector on pod names, a StatefulSet stays one would-be pod named after it', async () => {
    const objects = await load('redis-ha.yaml');
    const single = objects.filter((object) => object.kind !== 'Service' || object.metadata.name === 'redis-ha-revision');
    const snapshot = offlineSnapshot(single, { namespace: 'default', name: 'redis-ha-revision' });
    assert.deepEqual(snapshot.pods.map((pod) => pod.metadata.name), ['redis-ha-server']);
  });
});

describe('pods from custom resources', () => {
  test("a Service for an operator's pods (Prometheus with spec.podMetadata.labels): info naming the resource, not an error", async () => {
    const trace = analyze(offlineSnapshot(await load('prometheus-operator.yaml'), { namespace: 'monitoring', name: 'prometheus-k8s' }));
    const finding = expectFinding(trace, 'pods-from-custom-resource', 'info', 'an operator of kind Prometheus', 'Prometheus/k8s');
    assert.ok(!finding.message.includes('Alertmanager'), 'the Prometheus that carries the labels is named, not every resource');
    expectNoFinding(trace, 'selector-matches-no-pods');
    assert.equal(trace.verdict, 'ok');
  });

  test('a selector value that is the resource name (alertmanager: main) points at that resource', async () => {
    const trace = analyze(offlineSnapshot(await load('prometheus-operator.yaml'), { namespace: 'monitoring', name: 'alertmanager-main' }));
    expectFinding(trace, 'pods-from-custom-resource', 'info', 'an operator of kind Alertmanager', 'Alertmanager/main');
  });

  test('near: a Service whose pods a Deployment of the files makes is traced as before', async () => {
    const trace = analyze(offlineSnapshot(await load('prometheus-operator.yaml'), { namespace: 'monitoring', name: 'grafana' }));
    assert.deepEqual(ids(trace), []);
  });

  test('near: beside custom resources that do not point at it, a selector a typo away from a workload is still an error', async () => {
    const trace = analyze(offlineSnapshot(await load('prometheus-operator.yaml'), { namespace: 'monitoring', name: 'grafana-typo' }));
    expectFinding(trace, 'selector-matches-no-pods', 'error');
    expectNoFinding(trace, 'pods-from-custom-resource');
  });

  test('near: in a namespace without custom resources, a selector that matches nothing is still an error', async () => {
    const trace = analyze(offlineSnapshot(await load('prometheus-operator.yaml'), { namespace: 'dashboards', name: 'grafana-typo' }));
    expectFinding(trace, 'selector-matches-no-pods', 'error');
    expectNoFinding(trace, 'pods-from-custom-resource');
  });
});

describe('targetPort defaults', () => {
  test('absent, 0 and "" mean the port number: no target-port finding', async () => {
    const [snapshot] = offlineServices(await load('target-port-defaults.yaml'), { namespace: 'default' });
    assert.deepEqual(snapshot!.service.spec.ports!.map((port) => port.targetPort), [8080, 8081, 8082]);
    const trace = analyze(snapshot!);
    assert.deepEqual(ids(trace), []);
  });

  test('near: a numeric targetPort no container declares is still noted', async () => {
    const trace = analyze(offlineSnapshot(await load('target-port-defaults.yaml'), { namespace: 'default', name: 'api-typo' }));
    expectFinding(trace, 'target-port-not-declared', 'info', 'targetPort 8088');
  });
});
