// List mode keeps only the fields the analysis reads of each listed object (src/cluster/list-fields.ts):
// which fields stay, and that a trimmed object is analysed and rendered exactly as the whole one —
// over the fake API server's scenarios (objects as the API server returns them) and the real
// applications of test/realworld (offline snapshots).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { analyze } from '../../../src/analyze/trace.js';
import { snapshotsFromLists, type ClusterLists } from '../../../src/cluster/gather-list.js';
import { listFields } from '../../../src/cluster/list-fields.js';
import { loadManifests } from '../../../src/cluster/manifests.js';
import { offlineServices } from '../../../src/cluster/offline.js';
import type { Pod } from '../../../src/kube/types.js';
import { renderJson } from '../../../src/render/data.js';
import { renderList } from '../../../src/render/list.js';
import { renderText } from '../../../src/render/text.js';
import type { Lookup, Snapshot } from '../../../src/snapshot.js';
import { scenarioLists } from '../../support/apiserver.js';

const fixture = (scenario: string, plural: string) => path.resolve('test/fixtures/apiserver', scenario, `${plural}.json`);
const itemsOf = <T>(scenario: string, plural: string): T[] => (JSON.parse(readFileSync(fixture(scenario, plural), 'utf8')) as { items: T[] }).items;

const trimmed = <T>(lookup: Lookup<T>, fields: (item: T) => T): Lookup<T> => ('items' in lookup ? { items: lookup.items.map(fields) } : lookup);

function trimLists(lists: ClusterLists): ClusterLists {
  return {
    ...lists,
    services: lists.services.map(listFields.service),
    endpointSlices: lists.endpointSlices.map(listFields.endpointSlice),
    pods: lists.pods.map(listFields.pod),
    nodes: trimmed(lists.nodes, listFields.node),
    networkPolicies: trimmed(lists.networkPolicies, listFields.networkPolicy),
    events: trimmed(lists.events, listFields.event),
    namespaces: trimmed(lists.namespaces, listFields.namespace),
  };
}

function trimSnapshot(snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    service: listFields.service(snapshot.service),
    endpointSlices: trimmed(snapshot.endpointSlices, listFields.endpointSlice),
    pods: snapshot.pods.map(listFields.pod),
    otherPods: snapshot.otherPods.map(listFields.pod),
    ...(snapshot.podsOfNamespace ? { podsOfNamespace: trimmed(snapshot.podsOfNamespace, listFields.pod) } : {}),
    nodes: trimmed(snapshot.nodes, listFields.node),
    networkPolicies: trimmed(snapshot.networkPolicies, listFields.networkPolicy),
    events: trimmed(snapshot.events, listFields.event),
  };
}

// Everything a user sees of a list: the JSON, the table and every trace's text.
function outputs(snapshots: Snapshot[]): string[] {
  const items = snapshots.map((snapshot) => analyze(snapshot));
  return [
    renderJson({ apiVersion: 'svc-trace/v1', kind: 'ServiceHealthList', items }),
    renderList({ apiVersion: 'svc-trace/v1', kind: 'ServiceHealthList', items }, { allNamespaces: true, color: false }),
    ...items.map((trace) => renderText(trace, { color: false, wide: true })),
  ];
}

describe('the fields list mode keeps', () => {
  test('a pod keeps its labels, owner, phase, node, IPs, conditions, container ports and probes; volumes, env, tolerations and managed fields go', () => {
    const [whole] = itemsOf<Pod>('healthy', 'pods');
    const managedFields = [{ manager: 'kube-controller-manager', operation: 'Update' }];
    const pod = listFields.pod({ ...whole!, metadata: { ...whole!.metadata, managedFields } as Pod['metadata'] });
    assert.deepEqual(Object.keys(pod.metadata).sort(), ['creationTimestamp', 'labels', 'name', 'namespace', 'ownerReferences', 'resourceVersion', 'uid']);
    assert.deepEqual(pod.metadata.labels, whole!.metadata.labels);
    assert.deepEqual(pod.metadata.ownerReferences, whole!.metadata.ownerReferences);
    assert.deepEqual(Object.keys(pod.spec).sort(), ['containers', 'nodeName']);
    assert.deepEqual(Object.keys(pod.spec.containers[0]!).sort(), ['image', 'name', 'ports', 'readinessProbe']);
    assert.deepEqual(pod.spec.containers[0]!.ports, whole!.spec.containers[0]!.ports);
    assert.equal(pod.status?.phase, 'Running');
    assert.deepEqual(pod.status?.podIPs, whole!.status?.podIPs);
    assert.deepEqual(
      pod.status?.conditions?.map((c) => `${c.type}=${c.status}`),
      whole!.status?.conditions?.map((c) => `${c.type}=${c.status}`),
    );
    assert.ok(pod.status?.conditions?.every((c) => !('lastTransitionTime' in c)), 'condition timestamps go');
    assert.ok(JSON.stringify(pod).length < JSON.stringify(whole).length / 2, 'less than half of the object stays');
  });

  test('a terminating pod keeps its deletionTimestamp; a sidecar keeps its restartPolicy', () => {
    const pod = listFields.pod({
      metadata: { name: 'web-0', namespace: 'shop', deletionTimestamp: '2025-06-02T08:20:00Z' },
      spec: { containers: [{ name: 'web' }], initContainers: [{ name: 'proxy', restartPolicy: 'Always', ports: [{ containerPort: 15001 }] }] },
    });
    assert.equal(pod.metadata.deletionTimestamp, '2025-06-02T08:20:00Z');
    assert.deepEqual(pod.spec.initContainers, [{ name: 'proxy', restartPolicy: 'Always', ports: [{ containerPort: 15001 }] }]);
  });

  test('a node keeps its pod ranges and addresses, not its images', () => {
    const [whole] = itemsOf<{ metadata: { name: string }; spec?: object; status?: object }>('healthy', 'nodes');
    const node = listFields.node({ ...whole!, status: { ...whole!.status, images: [{ names: ['registry.k8s.io/pause:3.10'], sizeBytes: 320368 }] } } as never);
    assert.equal(node.metadata.name, whole!.metadata.name);
    assert.deepEqual(node.spec, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] }, 'providerID goes');
    assert.ok(!('images' in (node.status ?? {})));
    assert.deepEqual(node.status?.addresses, (whole!.status as { addresses?: unknown }).addresses);
  });

  test('a Service, an EndpointSlice, a NetworkPolicy and an Event lose only their managed fields', () => {
    const [service] = itemsOf<never>('healthy', 'services');
    const managed = { ...(service as object), metadata: { ...(service as { metadata: object }).metadata, managedFields: [{ manager: 'kubectl' }] } };
    assert.deepEqual(listFields.service(managed as never), service);
    assert.equal(listFields.endpointSlice(service), service, 'nothing to drop: the same object');
  });
});

describe('a trimmed object analyses as the whole one', () => {
  for (const scenario of readdirSync(path.resolve('test/fixtures/apiserver'))) {
    test(`fake API server scenario ${scenario}: the same JSON, table and traces, every namespace`, () => {
      const lists = scenarioLists(scenario);
      assert.ok(lists.services.length > 0);
      assert.deepEqual(outputs(snapshotsFromLists(trimLists(lists))), outputs(snapshotsFromLists(lists)));
    });
  }

  for (const application of readdirSync(path.resolve('test/realworld'), { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    test(`real application ${application.name}: the same JSON, table and traces`, async () => {
      const objects = await loadManifests([path.resolve('test/realworld', application.name)], Readable.from([]));
      const snapshots = offlineServices(objects, { allNamespaces: true, defaultNamespace: 'default' });
      assert.ok(snapshots.length > 0 && snapshots.some((snapshot) => snapshot.pods.length > 0));
      assert.deepEqual(outputs(snapshots.map(trimSnapshot)), outputs(snapshots));
    });
  }
});
