import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Readable } from 'node:stream';
import { loadManifests } from '../../../src/cluster/manifests.js';
import { offlineServices, offlineSnapshot } from '../../../src/cluster/offline.js';
import { SvcTraceError } from '../../../src/errors.js';
import type { KubeObject, Pod } from '../../../src/kube/types.js';
import type { Snapshot } from '../../../src/snapshot.js';

const fixtures = path.resolve('test/fixtures/manifests');
const load = (...names: string[]) => loadManifests(names.map((name) => path.join(fixtures, name)), Readable.from([]));
const names = (pods: Pod[]) => pods.map((pod) => pod.metadata.name);
const owner = (pod: Pod) => pod.metadata.ownerReferences?.map((ref) => `${ref.kind}/${ref.name}${ref.controller ? '' : ' (not controller)'}`).join(',');

// Every pod of a namespace, bare or would-be: the near misses of a Service that selects none of them.
function podsOfNamespace(objects: KubeObject[], namespace: string): Pod[] {
  const nothing = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'selects-nothing', namespace }, spec: { selector: { 'test.svc-trace/none': 'none' } } };
  const snapshot = offlineSnapshot([...objects, nothing as KubeObject], { namespace, name: 'selects-nothing' });
  assert.deepEqual(snapshot.pods, []);
  return snapshot.otherPods;
}

function notFound(objects: KubeObject[], target: { namespace: string; name: string }): SvcTraceError {
  try {
    offlineSnapshot(objects, target);
  } catch (error) {
    assert.ok(error instanceof SvcTraceError);
    assert.equal(error.exitCode, 4);
    return error;
  }
  assert.fail(`service ${target.namespace}/${target.name} should not be found`);
}

describe('offlineSnapshot: one Service from a multi-document file', () => {
  test('the Service, its would-be pod, and what only a cluster knows is skipped with the reason', async () => {
    const snapshot = offlineSnapshot(await load('shop.yaml'), { namespace: 'default', name: 'storefront' });
    assert.equal(snapshot.source, 'manifests');
    assert.equal(snapshot.service.metadata.namespace, 'default', 'no namespace in the file: the -n value');
    assert.deepEqual(snapshot.endpointSlices, { skipped: 'offline: EndpointSlices exist only in a cluster' });
    assert.deepEqual(snapshot.nodes, { skipped: 'offline: Nodes exist only in a cluster' });
    assert.deepEqual(snapshot.events, { skipped: 'offline: Events exist only in a cluster' });
    assert.deepEqual(snapshot.externalName, { skipped: 'offline: DNS is not resolved' });
    assert.deepEqual(snapshot.networkPolicies, { items: [] });
    assert.equal(snapshot.clusterDomain, 'cluster.local');
    assert.deepEqual(snapshot.client, {
      kind: 'generic',
      namespace: 'default',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'default' },
    });
    assert.deepEqual(snapshot.pods, [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'storefront',
          namespace: 'default',
          labels: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/part-of': 'shop' },
          annotations: { 'prometheus.io/scrape': 'true' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'storefront', controller: true }],
        },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'ghcr.io/example/storefront:1.4.2',
              ports: [
                { name: 'http', containerPort: 8080, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
              ],
              envFrom: [{ configMapRef: { name: 'storefront-settings' } }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
            },
          ],
        },
      },
    ]);
    assert.equal(snapshot.pods[0].status, undefined, 'a would-be pod has no live state');
    assert.deepEqual(snapshot.otherPods, []);
  });

  test('the Service gets the defaults the API server would fill, never an allocated address', async () => {
    const { service } = offlineSnapshot(await load('shop.yaml'), { namespace: 'default', name: 'storefront' });
    assert.deepEqual(service.spec, {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'storefront' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    });
    const nodePort = offlineSnapshot(await load('payments-list.json'), { namespace: 'billing', name: 'payments' }).service;
    assert.equal(nodePort.spec.externalTrafficPolicy, 'Cluster');
    assert.equal(nodePort.spec.ports?.[0].nodePort, undefined);
  });

  test('objects without namespace go to the -n namespace', async () => {
    const objects = await load('two-namespaces.yaml');
    const snapshot = offlineSnapshot(objects, { namespace: 'team-a', name: 'cache' });
    assert.equal(snapshot.service.metadata.namespace, 'team-a');
    assert.deepEqual(names(snapshot.pods), ['cache']);
    assert.equal(snapshot.pods[0].metadata.namespace, 'team-a');
    assert.equal(owner(snapshot.pods[0]), 'StatefulSet/cache');
    assert.deepEqual(snapshot.client, {
      kind: 'generic',
      namespace: 'team-a',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'team-a' },
    });
  });

  test('the same Service name in two namespaces: each selects only the pods of its own namespace', async () => {
    const objects = await load('two-namespaces.yaml');
    const staging = offlineSnapshot(objects, { namespace: 'staging', name: 'api' });
    assert.deepEqual(staging.service.spec.selector, { app: 'api', track: 'canary' });
    assert.deepEqual(names(staging.pods), ['api-canary']);
    // Near misses only when nothing is selected.
    assert.deepEqual(staging.otherPods, []);
    // The StatefulSet without namespace is in the namespace asked for (-n staging), the production pod is not.
    assert.deepEqual(names(podsOfNamespace(objects, 'staging')).sort(), ['api-canary', 'cache']);

    const production = offlineSnapshot(objects, { namespace: 'production', name: 'api' });
    assert.deepEqual(names(production.pods), ['api']);
    assert.deepEqual(production.pods[0].metadata.labels, { app: 'api', track: 'stable' });
    assert.deepEqual(production.client, {
      kind: 'generic',
      namespace: 'production',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'production' },
    });
    // Every NetworkPolicy of the manifests; the analysis applies each in its own namespace.
    assert.deepEqual(
      'items' in production.networkPolicies && production.networkPolicies.items.map((policy) => `${policy.metadata.namespace}/${policy.metadata.name}`),
      ['production/default-deny'],
    );
    // Every namespace mentioned; the objects without namespace are in production here.
    assert.deepEqual(Object.keys(production.namespaceLabels).sort(), ['production', 'staging']);
  });

  test('a selector that matches nothing leaves the namespace’s other would-be pods for near-miss hints', async () => {
    const objects = await load('two-namespaces.yaml');
    const mistyped = [
      ...objects,
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api-v2', namespace: 'production' }, spec: { selector: { app: 'api-v2' }, ports: [{ port: 80 }] } },
    ] as KubeObject[];
    const snapshot = offlineSnapshot(mistyped, { namespace: 'production', name: 'api-v2' });
    assert.deepEqual(snapshot.pods, []);
    assert.deepEqual(names(snapshot.otherPods), ['api', 'cache']);
  });
});

describe('offlineSnapshot: would-be pods of every workload kind', () => {
  const expected = [
    // name, owner, labels, the first container port
    ['frontend', 'Deployment/frontend', { app: 'frontend' }, { name: 'http', containerPort: 80, protocol: 'TCP' }],
    ['db', 'StatefulSet/db', { app: 'db' }, { name: 'postgres', containerPort: 5432, protocol: 'TCP' }],
    ['node-agent', 'DaemonSet/node-agent', { app: 'node-agent' }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }],
    ['legacy-web', 'ReplicaSet/legacy-web', { app: 'legacy-web' }, { containerPort: 8081, protocol: 'TCP' }],
    ['ancient', 'ReplicationController/ancient', { app: 'ancient' }, { containerPort: 8082, protocol: 'TCP' }],
    [
      'migrate',
      'Job/migrate',
      { app: 'migrate', 'batch.kubernetes.io/job-name': 'migrate', 'job-name': 'migrate' },
      { containerPort: 9000, protocol: 'TCP' },
    ],
    ['report', 'CronJob/report', { app: 'report' }, { name: 'metrics', containerPort: 9100, protocol: 'TCP' }],
  ] as const;

  test('each workload template becomes one pod with its labels, ports and owner; a bare Pod stays as written', async () => {
    const all = podsOfNamespace(await load('workloads.yaml'), 'batch-demo');
    // Bare pods come first, then workloads in manifest order.
    assert.deepEqual(names(all).sort(), ['ancient', 'db', 'debug', 'frontend', 'legacy-web', 'migrate', 'node-agent', 'report']);
    for (const [name, ownerName, labels, port] of expected) {
      const pod = all.find((candidate) => candidate.metadata.name === name)!;
      assert.equal(owner(pod), ownerName, name);
      assert.equal(pod.metadata.namespace, 'batch-demo', name);
      assert.deepEqual(pod.metadata.labels, labels, name);
      assert.deepEqual(pod.spec.containers[0].ports?.[0], port, name);
      assert.equal(pod.status, undefined, name);
    }
    const debug = all.find((pod) => pod.metadata.name === 'debug')!;
    assert.equal(debug.metadata.ownerReferences, undefined);
    assert.deepEqual(debug.metadata.labels, { app: 'debug' });
  });

  test('a Deployment whose own selector uses matchExpressions still backs the Service', async () => {
    const snapshot = offlineSnapshot(await load('workloads.yaml'), { namespace: 'batch-demo', name: 'frontend' });
    assert.deepEqual(names(snapshot.pods), ['frontend']);
    assert.equal(podsOfNamespace(await load('workloads.yaml'), 'batch-demo').length, 8, 'the seven others are not selected');
  });

  test('a CronJob pod comes from spec.jobTemplate.spec.template; a DaemonSet keeps its UDP port', async () => {
    const objects = await load('workloads.yaml');
    const withReportService = [
      ...objects,
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'report-metrics', namespace: 'batch-demo' }, spec: { selector: { app: 'report' }, ports: [{ port: 9100, targetPort: 'metrics' }] } },
    ] as KubeObject[];
    const report = offlineSnapshot(withReportService, { namespace: 'batch-demo', name: 'report-metrics' });
    assert.deepEqual(names(report.pods), ['report']);
    assert.equal(report.pods[0].metadata.ownerReferences?.[0].apiVersion, 'batch/v1');
    const dns = offlineSnapshot(objects, { namespace: 'batch-demo', name: 'node-agent-dns' });
    assert.deepEqual(names(dns.pods), ['node-agent']);
    assert.equal(dns.service.spec.ports?.[0].protocol, 'UDP');
  });

  test('a Service with an empty selector selects nothing', async () => {
    const objects = [
      ...(await load('workloads.yaml')),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'everything', namespace: 'batch-demo' }, spec: { selector: {}, ports: [{ port: 80 }] } },
    ] as KubeObject[];
    const snapshot = offlineSnapshot(objects, { namespace: 'batch-demo', name: 'everything' });
    assert.deepEqual(snapshot.pods, []);
    // As a Service without selector: no near misses either (its endpoints are made by hand).
    assert.deepEqual(snapshot.otherPods, []);
  });

  test('a bare Pod named like a workload keeps its name; the would-be pod gets the kind appended', async () => {
    const objects = [
      ...(await load('workloads.yaml')),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'batch-demo', labels: { app: 'db', debug: 'true' } }, spec: { containers: [{ name: 'c' }] } },
    ] as KubeObject[];
    const all = names(podsOfNamespace(objects, 'batch-demo'));
    assert.ok(all.includes('db') && all.includes('db-statefulset'), all.join(' '));
  });
});

describe('offlineSnapshot: dumps, hand-made endpoints, and what is ignored', () => {
  test('a `kubectl get all -o yaml` dump: the real pods stand for their Deployment, old ReplicaSets add nothing', async () => {
    const snapshot = offlineSnapshot(await load('get-all-dump.yaml'), { namespace: 'demo', name: 'web' });
    assert.deepEqual(names(snapshot.pods), ['web-7c9d8b5f4d-x2kqp']);
    assert.equal(snapshot.pods[0].status?.podIP, '10.244.1.7', 'live state from the dump is kept');
    assert.deepEqual(snapshot.otherPods, []);
    assert.equal(snapshot.service.spec.clusterIP, '10.96.142.17');
  });

  test('a Deployment with its ReplicaSet but no pods yields one would-be pod, owned by the Deployment', async () => {
    const objects = (await load('get-all-dump.yaml')).filter((object) => object.kind !== 'Pod');
    const snapshot = offlineSnapshot(objects, { namespace: 'demo', name: 'web' });
    assert.deepEqual(names(snapshot.pods), ['web']);
    assert.equal(owner(snapshot.pods[0]), 'Deployment/web');
    assert.equal(snapshot.pods[0].metadata.ownerReferences?.[0].uid, '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d');
  });

  test('a selector-less Service uses its hand-made EndpointSlice', async () => {
    const snapshot = offlineSnapshot(await load('external-db.yaml'), { namespace: 'data', name: 'legacy-db' });
    assert.deepEqual(snapshot.pods, []);
    assert.ok('items' in snapshot.endpointSlices);
    const [slice] = snapshot.endpointSlices.items;
    assert.equal(snapshot.endpointSlices.items.length, 1);
    assert.equal(slice.metadata.name, 'legacy-db-1');
    assert.deepEqual(slice.ports, [{ name: 'mysql', port: 3306, protocol: 'TCP' }]);
    assert.deepEqual(
      slice.endpoints?.map((endpoint) => [endpoint.addresses[0], endpoint.conditions?.ready]),
      [
        ['192.168.10.21', undefined],
        ['192.168.10.22', false],
      ],
    );
  });

  test('a selector-less Service with a hand-made Endpoints gets the slice the mirroring controller would make', async () => {
    const snapshot = offlineSnapshot(await load('external-db.yaml'), { namespace: 'data', name: 'search' });
    assert.ok('items' in snapshot.endpointSlices);
    assert.deepEqual(snapshot.endpointSlices.items, [
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: 'search-mirrored-1',
          namespace: 'data',
          labels: {
            'kubernetes.io/service-name': 'search',
            'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
          },
        },
        addressType: 'IPv4',
        endpoints: [
          { addresses: ['192.168.20.5'], conditions: { ready: true } },
          { addresses: ['192.168.20.6'], conditions: { ready: true } },
          { addresses: ['192.168.20.7'], conditions: { ready: false } },
        ],
        ports: [{ name: 'http', port: 9200, protocol: 'TCP' }],
      },
    ]);
  });

  test('a selector-less Service with nothing backing it in the manifests: endpoints skipped, not empty', async () => {
    const snapshot = offlineSnapshot(await load('external-db.yaml'), { namespace: 'data', name: 'unbacked' });
    assert.deepEqual(snapshot.endpointSlices, { skipped: 'offline: EndpointSlices exist only in a cluster' });
  });

  test('unrelated resources are ignored; a Knative Service is not a Service; Namespace labels are used', async () => {
    const snapshots = offlineServices(await load('tree'), { allNamespaces: true });
    assert.deepEqual(
      snapshots.map((snapshot) => `${snapshot.service.metadata.namespace}/${snapshot.service.metadata.name}`),
      ['shop/orders'],
    );
    const [orders] = snapshots;
    assert.deepEqual(names(orders.pods), ['orders']);
    assert.deepEqual(orders.client, {
      kind: 'generic',
      namespace: 'shop',
      namespaceLabels: { team: 'commerce', 'kubernetes.io/metadata.name': 'shop' },
    });
    assert.ok('items' in orders.networkPolicies);
    assert.deepEqual(orders.networkPolicies.items.map((policy) => policy.metadata.name), ['orders-allow-frontend']);
    assert.ok(!JSON.stringify(snapshots).includes('c3VwZXItc2VjcmV0'), "a Secret's data never reaches a snapshot");
  });

  test('Nodes and Events in the manifests are used when present', async () => {
    const objects = [
      ...(await load('get-all-dump.yaml')),
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.3' }] } },
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'web.1879f2a0c3d4e5f6', namespace: 'demo' },
        involvedObject: { kind: 'Service', name: 'web', namespace: 'demo' },
        type: 'Warning',
        reason: 'FailedToUpdateEndpointSlices',
        message: 'Error updating Endpoint Slices for Service demo/web',
      },
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'other.1879f2a0c3d4e5f7', namespace: 'demo' },
        involvedObject: { kind: 'Service', name: 'other', namespace: 'demo' },
        type: 'Warning',
        reason: 'SyncLoadBalancerFailed',
      },
    ] as KubeObject[];
    const snapshot = offlineSnapshot(objects, { namespace: 'demo', name: 'web' });
    assert.ok('items' in snapshot.nodes);
    assert.deepEqual(snapshot.nodes.items.map((node) => node.metadata.name), ['worker-1']);
    assert.ok('items' in snapshot.events);
    assert.deepEqual(snapshot.events.items.map((event) => event.reason), ['FailedToUpdateEndpointSlices']);
  });

  test('an object given twice counts once, the last one winning as with kubectl apply', async () => {
    const objects = await load('shop.yaml', 'shop.yaml');
    const changed = structuredClone(objects[2]) as KubeObject & { spec: { ports: Array<{ port: number }> } };
    changed.spec.ports[0].port = 8080;
    const snapshot = offlineSnapshot([...objects, changed], { namespace: 'default', name: 'storefront' });
    assert.deepEqual(names(snapshot.pods), ['storefront']);
    assert.equal(snapshot.service.spec.ports?.[0].port, 8080);
  });
});

describe('offlineServices: list mode', () => {
  const key = (snapshot: Snapshot) => `${snapshot.service.metadata.namespace}/${snapshot.service.metadata.name}`;

  test('one snapshot per Service of the namespace', async () => {
    const snapshots = offlineServices(await load('two-namespaces.yaml'), { namespace: 'staging' });
    assert.deepEqual(snapshots.map(key), ['staging/api', 'staging/cache']);
    assert.deepEqual(names(snapshots[0].pods), ['api-canary']);
  });

  test('all namespaces, sorted by namespace then name; objects without namespace in the default one', async () => {
    const objects = await load('two-namespaces.yaml', 'workloads.yaml');
    assert.deepEqual(offlineServices(objects, { allNamespaces: true }).map(key), [
      'batch-demo/frontend',
      'batch-demo/node-agent-dns',
      'default/cache',
      'production/api',
      'staging/api',
    ]);
    assert.deepEqual(offlineServices(objects, { allNamespaces: true, defaultNamespace: 'dev' }).map(key)[2], 'dev/cache');
  });

  test('no Service in the manifests: an empty list', async () => {
    assert.deepEqual(offlineServices(await load('tree/crds'), { namespace: 'default' }), []);
  });
});

describe('offlineSnapshot: a Service that is not in the manifests', () => {
  test('names the nearest Services of the manifests, same namespace first', async () => {
    const error = notFound(await load('two-namespaces.yaml'), { namespace: 'staging', name: 'apii' });
    assert.equal(error.message, 'service "apii" not found in namespace "staging" of the manifests');
    assert.equal(error.hint, 'Services in the manifests: staging/api, production/api, staging/cache.');
  });

  test('the same name in other namespaces: says which -n finds it', async () => {
    const error = notFound(await load('two-namespaces.yaml'), { namespace: 'dev', name: 'api' });
    assert.equal(error.message, 'service "api" not found in namespace "dev" of the manifests');
    assert.match(error.hint, /^Services in the manifests: production\/api, staging\/api, /);
    assert.match(error.hint, /Add -n production or -n staging to trace the one of that namespace\.$/);
  });

  test('many Services: the five nearest and a count of the rest', async () => {
    const objects = await load('two-namespaces.yaml', 'workloads.yaml', 'external-db.yaml');
    const error = notFound(objects, { namespace: 'data', name: 'search-db' });
    assert.equal(
      error.hint,
      'Services in the manifests: data/search, data/legacy-db, data/cache, data/unbacked, batch-demo/frontend (+ 3 more).',
    );
  });

  test('no Service at all says so', async () => {
    const error = notFound(await load('tree/crds'), { namespace: 'default', name: 'web' });
    assert.match(error.hint, /hold no Service/);
  });
});
