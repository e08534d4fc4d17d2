// The one snapshot assembler: every source hands it what it found, and these rules decide what the
// analysis sees — the same for a live Service, a live list, manifests and expose's preview.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice, Pod, Service } from '../../../src/kube/types.js';
import { assembleSnapshot, skipReasons, type Found, type Origin } from '../../../src/snapshot/assemble.js';
import { loadFixture, type ClusterFixture } from '../../support/snapshot.js';

const names = (pods: Pod[]) => pods.map((pod) => pod.metadata.name);
const origins: Origin[] = ['cluster', 'list', 'manifests', 'preview'];

// What a source finds for the fixture: every pod of the namespace, the Service's slices.
function found(fixture: ClusterFixture, more: Partial<Found> = {}): Found {
  return {
    service: fixture.service,
    pods: fixture.pods.items,
    endpointSlices: { items: fixture.endpointSlices.items },
    networkPolicies: { items: [] },
    events: { items: fixture.events.items },
    ...more,
  };
}

// healthy-web: shop/web selects app=web (two pods); a frontend pod shares the namespace.
const web = () => loadFixture('healthy-web');

describe('assembleSnapshot: which pods count', () => {
  test('the pods the selector selects, from all the pods a source found, for every source', () => {
    for (const origin of origins) {
      const snapshot = assembleSnapshot(origin, found(web()));
      assert.deepEqual(names(snapshot.pods), ['web-7d9c5b6f4d-nfh7v', 'web-7d9c5b6f4d-7b2nj'], origin);
      assert.deepEqual(snapshot.otherPods, [], `${origin}: near misses only when nothing is selected`);
    }
  });

  test('a pod of another namespace never counts, whatever its labels', () => {
    const fixture = web();
    const elsewhere = { ...fixture.pods.items[0]!, metadata: { ...fixture.pods.items[0]!.metadata, name: 'web-in-staging', namespace: 'staging' } };
    const snapshot = assembleSnapshot('list', found(fixture, { pods: [elsewhere, ...fixture.pods.items] }));
    assert.ok(!names(snapshot.pods).includes('web-in-staging'));
  });

  test('nothing selected: the namespace’s pods are the near misses (live: the pods read apart for them)', () => {
    const fixture = loadFixture('selector-typo');
    const snapshot = assembleSnapshot('manifests', found(fixture));
    assert.deepEqual(snapshot.pods, []);
    assert.deepEqual(names(snapshot.otherPods), names(fixture.pods.items));
    const labelsOnly = fixture.pods.items.map((pod): Pod => ({ metadata: pod.metadata, spec: { containers: [] } }));
    const live = assembleSnapshot('cluster', found(fixture, { pods: [], nearMissPods: labelsOnly }));
    assert.equal(live.otherPods, labelsOnly);
  });

  test('an ExternalName Service selects nothing, even with a selector: no pods, no near misses, no custom resources', () => {
    const fixture = web();
    const service: Service = { ...fixture.service, spec: { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'web' }, sessionAffinity: 'None' } };
    for (const origin of origins) {
      const snapshot = assembleSnapshot(origin, found(fixture, { service, podsFromCustomResources: [{ kind: 'Prometheus', name: 'k8s', namespace: 'shop', via: 'labels' }] }));
      assert.deepEqual(snapshot.pods, [], origin);
      assert.deepEqual(snapshot.otherPods, [], origin);
      assert.equal(snapshot.podsFromCustomResources, undefined, origin);
    }
  });

  test('an empty selector selects nothing, and has no near misses: its endpoints are made by hand', () => {
    const fixture = web();
    const service: Service = { ...fixture.service, spec: { ...fixture.service.spec, selector: {} } };
    const snapshot = assembleSnapshot('manifests', found(fixture, { service }));
    assert.deepEqual(snapshot.pods, []);
    assert.deepEqual(snapshot.otherPods, []);
  });

  test('custom resources that may make the pods are kept only when nothing is selected', () => {
    const resources = [{ kind: 'Prometheus', name: 'k8s', namespace: 'shop', via: 'labels' as const }];
    assert.equal(assembleSnapshot('manifests', found(web(), { podsFromCustomResources: resources })).podsFromCustomResources, undefined);
    assert.deepEqual(assembleSnapshot('manifests', found(loadFixture('selector-typo'), { podsFromCustomResources: resources })).podsFromCustomResources, resources);
  });

  test('every pod of the namespace only for a Service without selector whose slices have endpoints', () => {
    const stale = loadFixture('selectorless-stale-endpoint');
    const all = { items: stale.pods.items };
    assert.equal(assembleSnapshot('list', found(stale, { podsOfNamespace: all })).podsOfNamespace, all);
    const empty = loadFixture('selectorless-no-endpoints');
    assert.equal(assembleSnapshot('list', found(empty, { podsOfNamespace: { items: empty.pods.items } })).podsOfNamespace, undefined);
    assert.equal(assembleSnapshot('list', found(web(), { podsOfNamespace: { items: web().pods.items } })).podsOfNamespace, undefined);
  });
});

describe('assembleSnapshot: EndpointSlices and what was skipped', () => {
  test('only the slices labelled kubernetes.io/service-name for the Service, in its namespace', () => {
    const fixture = web();
    const slice = fixture.endpointSlices.items[0]!;
    const other: EndpointSlice = { ...slice, metadata: { ...slice.metadata, name: 'api-x1', labels: { 'kubernetes.io/service-name': 'api' } } };
    const elsewhere: EndpointSlice = { ...slice, metadata: { ...slice.metadata, name: 'web-x2', namespace: 'staging' } };
    const snapshot = assembleSnapshot('list', found(fixture, { endpointSlices: { items: [slice, other, elsewhere] } }));
    assert.deepEqual(snapshot.endpointSlices, { items: [slice] });
  });

  test('offline, what the manifests do not hold is skipped with the reason (an absence proves nothing)', () => {
    const snapshot = assembleSnapshot('manifests', found(web(), { endpointSlices: { items: [] }, nodes: { items: [] }, events: { items: [] } }));
    assert.equal(snapshot.source, 'manifests');
    assert.deepEqual(snapshot.endpointSlices, { skipped: skipReasons.offline.endpointSlices });
    assert.deepEqual(snapshot.nodes, { skipped: skipReasons.offline.nodes });
    assert.deepEqual(snapshot.events, { skipped: skipReasons.offline.events });
    assert.deepEqual(snapshot.externalName, { skipped: 'offline: DNS is not resolved' });
  });

  test('live, an empty list is an answer: no slices, no events', () => {
    const snapshot = assembleSnapshot('cluster', found(web(), { endpointSlices: { items: [] }, events: { items: [] } }));
    assert.equal(snapshot.source, 'cluster');
    assert.deepEqual(snapshot.endpointSlices, { items: [] });
    assert.deepEqual(snapshot.events, { items: [] });
    assert.deepEqual(snapshot.nodes, { skipped: 'nodes not needed for this Service' });
    assert.deepEqual(snapshot.externalName, { skipped: 'not an ExternalName Service' });
  });

  test('preview: a Service not created yet has no EndpointSlices or events', () => {
    const { endpointSlices: _slices, events: _events, ...lookups } = found(web());
    const snapshot = assembleSnapshot('preview', lookups);
    assert.deepEqual(snapshot.endpointSlices, { skipped: 'preview: the Service does not exist yet, so it has no EndpointSlices' });
    assert.deepEqual(snapshot.events, { skipped: 'preview: no events before the Service exists' });
  });

  test('an ExternalName target is resolved only for an ExternalName Service; list mode says it does not resolve', () => {
    const fixture = loadFixture('externalname');
    const resolved = { addresses: ['192.0.2.80'] };
    assert.deepEqual(assembleSnapshot('cluster', found(fixture, { externalName: resolved })).externalName, resolved);
    assert.deepEqual(assembleSnapshot('cluster', found(web(), { externalName: resolved })).externalName, { skipped: 'not an ExternalName Service' });
    assert.deepEqual(assembleSnapshot('list', found(fixture)).externalName, { skipped: 'DNS is not resolved in list mode' });
  });
});

describe('assembleSnapshot: the client and the namespaces’ labels', () => {
  test('no client named: a generic pod of the Service’s namespace, with that namespace’s labels', () => {
    const labels = { 'kubernetes.io/metadata.name': 'shop', team: 'payments' };
    const snapshot = assembleSnapshot('list', found(web(), { namespaceLabels: { shop: labels } }));
    assert.deepEqual(snapshot.client, { kind: 'generic', namespace: 'shop', namespaceLabels: labels });
    assert.deepEqual(snapshot.namespaceLabels, { shop: labels });
    const unknown = assembleSnapshot('cluster', found(web()));
    assert.deepEqual(unknown.namespaceLabels, { shop: { 'kubernetes.io/metadata.name': 'shop' } }, 'the label the API server always sets');
  });

  test('a client pod of another namespace: its namespace’s labels are there too, for namespaceSelectors', () => {
    const fixture = web();
    const pod = { ...fixture.pods.items[2]!, metadata: { ...fixture.pods.items[2]!.metadata, namespace: 'edge' } };
    const edge = { 'kubernetes.io/metadata.name': 'edge', zone: 'dmz' };
    const snapshot = assembleSnapshot('cluster', found(fixture, { client: { kind: 'pod', pod, namespaceLabels: edge } }));
    assert.deepEqual(snapshot.namespaceLabels, { shop: { 'kubernetes.io/metadata.name': 'shop' }, edge });
    assert.equal(snapshot.clusterDomain, 'cluster.local');
  });
});
