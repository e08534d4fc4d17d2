// The preview trace of a Service before it exists (the would-be Service + the live pods), the
// API server's refusals in words, and when the new Service's EndpointSlices are worth tracing.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../../src/analyze/trace.js';
import { ApiStatusError, ExitCode } from '../../../src/errors.js';
import { expectedAddresses, slicesComplete } from '../../../src/expose/endpoints.js';
import { previewSnapshot } from '../../../src/expose/preview.js';
import { refusalOf } from '../../../src/expose/refusals.js';
import { matchesLabels } from '../../../src/kube/labels.js';
import type { EndpointSlice, KubeList, Node, Pod, Service } from '../../../src/kube/types.js';
import { serviceOf } from './fixtures.js';

const list = <T>(file: string): T[] => (JSON.parse(readFileSync(path.resolve(file), 'utf8')) as KubeList<T>).items;
const pods = list<Pod>('test/fixtures/expose/apiserver/pods.json');
const nodes = list<Node>('test/fixtures/expose/apiserver/nodes.json');
const webSlices = list<EndpointSlice>('test/fixtures/expose/created/web-endpointslices.json');
const namespaceLabels = { 'kubernetes.io/metadata.name': 'shop' };

function previewOf(service: Service) {
  const selected = pods.filter((pod) => matchesLabels(service.spec.selector ?? {}, pod.metadata.labels));
  return analyze(
    previewSnapshot(service, {
      pods: selected,
      otherPods: selected.length === 0 ? pods : [],
      nodes: { items: nodes },
      networkPolicies: { items: [] },
      client: { kind: 'generic', namespace: 'shop', namespaceLabels },
    }),
  );
}

describe('preview trace', () => {
  test('names the live pods that would back the Service and their nodes, to the named container port', () => {
    const trace = previewOf(serviceOf('deploy/web', { port: ['http'], type: 'ClusterIP' }));
    const backend = trace.hops.find((hop) => hop.kind === 'backend');
    assert.ok(backend?.kind === 'backend');
    assert.deepEqual(
      backend.backends.map((row) => `${row.pod} ${row.node} ${row.servicePort} ${row.container}:${row.containerPort}`).sort(),
      ['web-746449dc89-b22ff kwok-node-c http web:8080', 'web-746449dc89-zhrkg kwok-node-b http web:8080'],
    );
    assert.equal(trace.verdict, 'ok');
  });

  test('says that the Service has no EndpointSlices yet, instead of failing the endpoint hop', () => {
    const trace = previewOf(serviceOf('deploy/web', { port: ['http'], type: 'ClusterIP' }));
    const endpoint = trace.hops.find((hop) => hop.kind === 'endpoint')!;
    assert.equal(endpoint.status, 'skip');
    assert.equal(endpoint.summary, '2 would-be pod(s) selected');
    assert.deepEqual(endpoint.notes, ['preview: the Service does not exist yet, so it has no EndpointSlices']);
    assert.equal(trace.service.clusterIP, '<unassigned>');
  });

  test('a selector that selects no live pod is broken before it is created', () => {
    const trace = previewOf({ ...serviceOf('deploy/web', { port: ['http'], type: 'ClusterIP' }), spec: { type: 'ClusterIP', selector: { app: 'webb' }, ports: [{ port: 80, protocol: 'TCP' }] } });
    assert.equal(trace.verdict, 'broken');
    assert.ok(trace.findings.some((finding) => finding.id === 'selector-matches-no-pods'));
  });

  test('a NodePort preview says it is reachable on every node', () => {
    const trace = previewOf(serviceOf('deploy/web', { port: ['http'], type: 'NodePort' }));
    assert.ok(trace.findings.some((finding) => finding.id === 'nodeport-exposed'));
  });
});

describe('refusals of the API server', () => {
  const service = serviceOf('deploy/web', { port: ['http'], type: 'NodePort', nodePort: ['30117'] });
  const status = (code: number, reason: string, apiMessage: string) =>
    new ApiStatusError(`the API server of context "kwok" answered ${code} to POST /api/v1/namespaces/shop/services: ${apiMessage}`, 'check the cluster', ExitCode.cluster, code, reason, apiMessage);

  test('409 AlreadyExists: the name is taken, exit 1, and what to do', () => {
    const refusal = refusalOf(status(409, 'AlreadyExists', 'services "web" already exists'), service)!;
    assert.equal(refusal.exitCode, ExitCode.broken);
    assert.equal(refusal.message, 'service "web" already exists in namespace "shop"; expose never replaces a Service');
    assert.match(refusal.hint, /--name/);
  });

  test('422 node port in use: the field error as the API server wrote it, and a hint naming --node-port', () => {
    const refusal = refusalOf(status(422, 'Invalid', 'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30117: provided port is already allocated'), service)!;
    assert.equal(refusal.exitCode, ExitCode.broken);
    assert.equal(refusal.message, 'the API server refuses service "web": spec.ports[0].nodePort: Invalid value: 30117: provided port is already allocated');
    assert.match(refusal.hint, /another Service holds that node port.*--node-port/);
  });

  test('422 node port out of range, and several field errors at once', () => {
    const range = refusalOf(status(422, 'Invalid', 'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'), service)!;
    assert.match(range.hint, /node port range/);
    const several = refusalOf(status(422, 'Invalid', 'Service "web" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, metadata.name: Invalid value: "x"]'), service)!;
    assert.equal(several.message, 'the API server refuses service "web": spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, metadata.name: Invalid value: "x"');
  });

  test('other errors (forbidden, unreachable) are not refusals of the Service', () => {
    assert.equal(refusalOf(status(403, 'Forbidden', 'services is forbidden'), service), undefined);
    assert.equal(refusalOf(new Error('socket hang up'), service), undefined);
  });
});

describe('waiting for the EndpointSlice controller', () => {
  const web = pods.filter((pod) => pod.metadata.labels?.app === 'web');

  test('complete once every running pod with an IP has an address', () => {
    assert.equal(expectedAddresses(web), 2);
    assert.equal(slicesComplete(webSlices, 2), true);
    assert.equal(slicesComplete([{ ...webSlices[0]!, endpoints: webSlices[0]!.endpoints!.slice(0, 1) }], 2), false);
    assert.equal(slicesComplete([], 2), false);
  });

  test('pods without an IP or being deleted are not waited for; with none, the first slice will do', () => {
    const unscheduled = { ...web[0]!, status: { phase: 'Pending' as const } };
    const deleting = { ...web[1]!, metadata: { ...web[1]!.metadata, deletionTimestamp: '2025-06-02T09:00:00Z' } };
    assert.equal(expectedAddresses([unscheduled, deleting]), 0);
    assert.equal(slicesComplete([], 0), false);
    assert.equal(slicesComplete([{ ...webSlices[0]!, endpoints: null }], 0), true);
  });
});
