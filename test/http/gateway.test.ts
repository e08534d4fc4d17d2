// The gateway at the HTTP level: real paths and query strings, real Status bodies, pagination,
// timeouts, refused connections and watch streams, all against nock (or a closed local port).

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { rejection } from '../support/rejection.js';
import { Gateway, deadlineAfter } from '../../src/cluster/gateway.js';
import type { WatchEvent } from '../../src/cluster/gateway.js';
import { ApiStatusError, DeadlineError, ExitCode } from '../../src/errors.js';
import type { EndpointSlice, KubeList, Pod, Service } from '../../src/kube/types.js';

const server = 'https://127.0.0.1:6443';
const token = 'gateway-test-token-0123456789';

function gateway(options: { timeoutMs?: number; pageSize?: number; debug?: string[]; server?: string } = {}): Gateway {
  return new Gateway({
    server: options.server ?? server,
    requestOptions: { headers: { Authorization: `Bearer ${token}` } },
    timeoutMs: options.timeoutMs ?? 0,
    context: 'kind-shop',
    pageSize: options.pageSize,
    debug: options.debug ? (line) => options.debug?.push(line) : undefined,
  });
}

// A Service as the API server returns it, server-filled defaults included.
function service(name: string, namespace = 'shop'): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      uid: `0b7c8f7e-5f2a-4d7e-9c3f-${name.padEnd(12, '0').slice(0, 12)}`,
      resourceVersion: '41872',
      creationTimestamp: '2025-01-14T09:21:07Z',
      labels: { app: name },
    },
    spec: {
      type: 'ClusterIP',
      selector: { app: name },
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }],
      clusterIP: '10.96.112.7',
      clusterIPs: ['10.96.112.7'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
    },
    status: { loadBalancer: {} },
  } as Service;
}

// A running, ready pod as the API server returns it.
function pod(name: string, ip: string): Pod {
  return {
    metadata: {
      name,
      namespace: 'shop',
      uid: `5d0e1c1a-7a61-4f0e-8a2b-${name.padEnd(12, '0').slice(0, 12)}`,
      resourceVersion: '41901',
      creationTimestamp: '2025-01-14T09:21:09Z',
      labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6', uid: '9a1f', controller: true },
      ],
    },
    spec: {
      nodeName: 'kwok-node-0',
      containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
    },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  } as Pod;
}

function podList(items: Pod[], next?: string, remaining?: number): KubeList<Pod> {
  return {
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '52001', ...(next ? { continue: next, remainingItemCount: remaining } : {}) },
    items,
  };
}

function status(code: number, reason: string, message: string, details?: object): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

before(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  assert.deepEqual(pending, [], 'every mocked request was made');
});

after(() => {
  nock.enableNetConnect();
});

describe('get', () => {
  test('sends the path, the bearer token and Accept: application/json, and returns the object', async () => {
    nock(server, { reqheaders: { authorization: `Bearer ${token}`, accept: 'application/json' } })
      .get('/api/v1/namespaces/shop/services/web')
      .reply(200, service('web'));
    const web = await gateway().get<Service>('/api/v1/namespaces/shop/services/web');
    assert.equal(web.metadata.name, 'web');
    assert.equal(web.spec.clusterIP, '10.96.112.7');
  });

  test('writes one debug line per request, without the token, and counts requests', async () => {
    nock(server)
      .get('/api/v1/namespaces/shop/pods')
      .query({ labelSelector: 'app=web' })
      .reply(200, podList([]))
      .get('/api/v1/namespaces/shop/services/web')
      .reply(200, service('web'));
    const lines: string[] = [];
    const client = gateway({ debug: lines });
    await client.get('/api/v1/namespaces/shop/pods', { labelSelector: 'app=web' });
    await client.get('/api/v1/namespaces/shop/services/web');
    assert.equal(client.requestCount, 2);
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^GET \/api\/v1\/namespaces\/shop\/pods\?labelSelector=app%3Dweb 200 \d+ms$/);
    assert.match(lines[1], /^GET \/api\/v1\/namespaces\/shop\/services\/web 200 \d+ms$/);
    assert.ok(lines.every((line) => !line.includes(token)));
  });

  test('keeps the path prefix of a server behind a proxy (Rancher-style URL)', async () => {
    nock(server).get('/k8s/clusters/c-m-4x2/api/v1/namespaces/shop/services/web').reply(200, service('web'));
    const web = await gateway({ server: `${server}/k8s/clusters/c-m-4x2/` }).get<Service>('/api/v1/namespaces/shop/services/web');
    assert.equal(web.metadata.name, 'web');
  });

  test('talks plain http to an http:// server', async () => {
    nock('http://127.0.0.1:8080').get('/api/v1/namespaces/shop/services/web').reply(200, service('web'));
    const web = await gateway({ server: 'http://127.0.0.1:8080' }).get<Service>('/api/v1/namespaces/shop/services/web');
    assert.equal(web.metadata.name, 'web');
  });

  test('asks for gzip and decodes a gzipped answer', async () => {
    nock(server, { reqheaders: { 'accept-encoding': 'gzip' } })
      .get('/api/v1/namespaces/shop/services/web')
      .reply(200, gzipSync(JSON.stringify(service('web'))), { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' });
    const web = await gateway().get<Service>('/api/v1/namespaces/shop/services/web');
    assert.deepEqual(web.spec.ipFamilies, ['IPv4']);
  });

  test('retries a 429 that says Retry-After, as client-go does', async () => {
    nock(server)
      .get('/api/v1/namespaces/shop/services/web')
      .reply(429, status(429, 'TooManyRequests', 'Too many requests, please try again later.'), { 'Retry-After': '0' })
      .get('/api/v1/namespaces/shop/services/web')
      .reply(200, service('web'));
    const client = gateway();
    const web = await client.get<Service>('/api/v1/namespaces/shop/services/web');
    assert.equal(web.metadata.name, 'web');
    assert.equal(client.requestCount, 2);
  });
});

describe('list', () => {
  test('follows metadata.continue over 3 pages with limit, keeping the selectors, and returns every item', async () => {
    const selectors = { labelSelector: 'app=web,tier in (front)', fieldSelector: 'status.phase=Running' };
    nock(server)
      .get('/api/v1/namespaces/shop/pods')
      .query({ ...selectors, limit: '2' })
      .reply(200, podList([pod('web-1', '10.244.0.11'), pod('web-2', '10.244.0.12')], 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NTIwMDEsInN0YXJ0Ijoid2ViLTJcdTAwMDAifQ', 3))
      .get('/api/v1/namespaces/shop/pods')
      .query({ ...selectors, limit: '2', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NTIwMDEsInN0YXJ0Ijoid2ViLTJcdTAwMDAifQ' })
      .reply(200, podList([pod('web-3', '10.244.1.13'), pod('web-4', '10.244.1.14')], 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NTIwMDEsInN0YXJ0Ijoid2ViLTRcdTAwMDAifQ', 1))
      .get('/api/v1/namespaces/shop/pods')
      .query({ ...selectors, limit: '2', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NTIwMDEsInN0YXJ0Ijoid2ViLTRcdTAwMDAifQ' })
      .reply(200, podList([pod('web-5', '10.244.2.15')]));
    const client = gateway({ pageSize: 2 });
    const pods = await client.listWithResourceVersion<Pod>('/api/v1/namespaces/shop/pods', selectors);
    assert.deepEqual(
      pods.items.map((item) => item.metadata.name),
      ['web-1', 'web-2', 'web-3', 'web-4', 'web-5'],
    );
    assert.equal(pods.resourceVersion, '52001');
    assert.equal(client.requestCount, 3);
  });

  test('asks for 500 items per page by default and returns a one-page list', async () => {
    const slice: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-x7k2p', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.0.11'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'kwok-node-0' }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    } as EndpointSlice;
    nock(server)
      .get('/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices')
      .query({ labelSelector: 'kubernetes.io/service-name=web', limit: '500' })
      .reply(200, { kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', metadata: { resourceVersion: '52001' }, items: [slice] });
    const slices = await gateway().list<EndpointSlice>('/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices', {
      labelSelector: 'kubernetes.io/service-name=web',
    });
    assert.deepEqual(slices.map((item) => item.metadata.name), ['web-x7k2p']);
  });

  test('passes an Accept header for metadata-only lists', async () => {
    const accept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
    nock(server, { reqheaders: { accept } })
      .get('/apis/apps/v1/namespaces/shop/replicasets')
      .query({ limit: '500' })
      .reply(200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: '52001' },
        items: [{ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'web-7d4b9c8f6', namespace: 'shop' } }],
      });
    const items = await gateway().list<{ metadata: { name: string } }>('/apis/apps/v1/namespaces/shop/replicasets', {}, accept);
    assert.deepEqual(items.map((item) => item.metadata.name), ['web-7d4b9c8f6']);
  });

  test('starts over with one full list when the continue token has expired (410)', async () => {
    nock(server)
      .get('/api/v1/pods')
      .query({ limit: '1' })
      .reply(200, podList([pod('web-1', '10.244.0.11')], 'stale-token', 1))
      .get('/api/v1/pods')
      .query({ limit: '1', continue: 'stale-token' })
      .reply(410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'))
      .get('/api/v1/pods')
      .reply(200, podList([pod('web-1', '10.244.0.11'), pod('web-2', '10.244.0.12')]));
    const pods = await gateway({ pageSize: 1 }).list<Pod>('/api/v1/pods');
    assert.deepEqual(pods.map((item) => item.metadata.name), ['web-1', 'web-2']);
  });
});

describe('errors from the API server', () => {
  test('401 says the cluster rejected the credentials of the context (exit 3)', async () => {
    nock(server)
      .get('/api/v1/namespaces/shop/services/web')
      .reply(401, status(401, 'Unauthorized', 'Unauthorized'));
    const error = await rejection(gateway().get('/api/v1/namespaces/shop/services/web'));
    assert.ok(error instanceof ApiStatusError);
    assert.equal(error.status, 401);
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, 'the cluster rejected the credentials of context "kind-shop"');
    assert.match(error.hint, /kubectl --context kind-shop auth whoami/);
  });

  test('403 carries the Status message and exit 3, so callers can degrade to a note', async () => {
    const message =
      'services "web" is forbidden: User "system:serviceaccount:shop:viewer" cannot get resource "services" in API group "" in the namespace "shop"';
    nock(server)
      .get('/api/v1/namespaces/shop/services/web')
      .reply(403, status(403, 'Forbidden', message, { name: 'web', kind: 'services' }));
    const error = await rejection(gateway().get('/api/v1/namespaces/shop/services/web'));
    assert.ok(error instanceof ApiStatusError);
    assert.equal(error.status, 403);
    assert.equal(error.reason, 'Forbidden');
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, message);
    assert.match(error.hint, /kubectl --context kind-shop auth can-i --list/);
  });

  test('404 carries the Status message and exit 4', async () => {
    nock(server)
      .get('/api/v1/namespaces/shop/services/wbe')
      .reply(404, status(404, 'NotFound', 'services "wbe" not found', { name: 'wbe', kind: 'services' }));
    const error = await rejection(gateway().get('/api/v1/namespaces/shop/services/wbe'));
    assert.ok(error instanceof ApiStatusError);
    assert.equal(error.status, 404);
    assert.equal(error.reason, 'NotFound');
    assert.equal(error.exitCode, ExitCode.notFound);
    assert.equal(error.message, 'services "wbe" not found');
  });

  test('a 404 with a plain-text body (an API group the server does not serve) is still a clear error', async () => {
    nock(server).get('/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices').query(true).reply(404, '404 page not found\n', {
      'Content-Type': 'text/plain; charset=utf-8',
    });
    const error = await rejection(gateway().list('/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices'));
    assert.ok(error instanceof ApiStatusError);
    assert.equal(error.exitCode, ExitCode.notFound);
    assert.equal(error.message, '404 page not found');
  });

  test('500 names the context and the Status message, exit 3', async () => {
    nock(server)
      .get('/api/v1/namespaces/shop/endpoints/web')
      .reply(500, status(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out'));
    const error = await rejection(gateway().get('/api/v1/namespaces/shop/endpoints/web'));
    assert.ok(error instanceof ApiStatusError);
    assert.equal(error.status, 500);
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(
      error.message,
      'the API server of context "kind-shop" answered 500 Internal Server Error to GET /api/v1/namespaces/shop/endpoints/web: Internal error occurred: etcdserver: request timed out',
    );
  });

  test('a 502 HTML page from a proxy in front of the API server is reported without the HTML', async () => {
    nock(server).get('/api/v1/namespaces/shop/services/web').reply(502, '<html><body><h1>502 Bad Gateway</h1></body></html>');
    const error = await rejection(gateway().get('/api/v1/namespaces/shop/services/web'));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, 'the API server of context "kind-shop" answered 502 Bad Gateway to GET /api/v1/namespaces/shop/services/web');
  });

  test('a 200 that is not JSON (not an API server at all) is a cluster error', async () => {
    nock(server).get('/api/v1/namespaces/shop/services/web').reply(200, '<!doctype html><title>Sign in</title>');
    const error = await rejection(gateway().get('/api/v1/namespaces/shop/services/web'));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.match(error.message, /answered GET \/api\/v1\/namespaces\/shop\/services\/web with something that is not JSON/);
  });
});

describe('errors on the way to the API server', () => {
  test('a request that outlives --request-timeout fails with exit 3 and says how long it waited', async () => {
    nock(server).get('/api/v1/namespaces/shop/services/web').delay(1000).reply(200, service('web'));
    const started = Date.now();
    const error = await rejection(gateway({ timeoutMs: 150 }).get('/api/v1/namespaces/shop/services/web'));
    assert.ok(Date.now() - started < 1500, 'the timeout cut the wait short');
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(
      error.message,
      'the cluster of context "kind-shop" at https://127.0.0.1:6443 did not answer GET /api/v1/namespaces/shop/services/web within 150ms',
    );
    assert.match(error.hint, /raise --request-timeout/);
  });

  test('a refused connection (a closed local port) names the server and suggests cluster-info', async () => {
    const port = await closedPort();
    nock.enableNetConnect('127.0.0.1');
    try {
      const error = await rejection(gateway({ server: `https://127.0.0.1:${port}` }).get('/version'));
      assert.equal(error.exitCode, ExitCode.cluster);
      assert.equal(error.message, `cannot reach the cluster of context "kind-shop" at https://127.0.0.1:${port}: connection refused`);
      assert.equal(error.hint, 'check that the cluster is running and `kubectl --context kind-shop cluster-info` works');
    } finally {
      nock.disableNetConnect();
    }
  });

  test('a host name that does not resolve is named', async () => {
    nock('https://api.shop.example:6443')
      .get('/version')
      .replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND api.shop.example'), { code: 'ENOTFOUND' }));
    const error = await rejection(gateway({ server: 'https://api.shop.example:6443' }).get('/version'));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(
      error.message,
      'cannot reach the cluster of context "kind-shop" at https://api.shop.example:6443: the host name api.shop.example does not resolve',
    );
  });

  test('an untrusted server certificate is a TLS failure that points at the certificate-authority', async () => {
    nock(server)
      .get('/version')
      .replyWithError(Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }));
    const error = await rejection(gateway().get('/version'));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.match(error.message, /its TLS certificate is not signed by the certificate authority that the kubeconfig gives for the cluster \(unable to verify the first certificate\)/);
    assert.match(error.hint, /certificate-authority-data/);
    assert.match(error.hint, /--insecure-skip-tls-verify/);
  });
});

describe('post', () => {
  test('sends the object as JSON with the query (server-side dry run)', async () => {
    const web = service('web');
    nock(server, { reqheaders: { 'content-type': 'application/json' } })
      .post('/api/v1/namespaces/shop/services', (body: Service) => body.metadata.name === 'web')
      .query({ dryRun: 'All', fieldManager: 'svc-trace' })
      .reply(201, web);
    const created = await gateway().post<Service>('/api/v1/namespaces/shop/services', web, { dryRun: 'All', fieldManager: 'svc-trace' });
    assert.equal(created.spec.clusterIP, '10.96.112.7');
  });
});

describe('watch', () => {
  const path = '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices';
  const slice = (ready: boolean): EndpointSlice =>
    ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-x7k2p', namespace: 'shop', resourceVersion: ready ? '52010' : '52011' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.0.11'], conditions: { ready, serving: ready, terminating: false } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }) as EndpointSlice;

  test('parses newline-delimited events from a chunked body, even when a chunk splits a line', async () => {
    const lines = [
      { type: 'ADDED', object: slice(true) },
      { type: 'MODIFIED', object: slice(false) },
      { type: 'BOOKMARK', object: { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', metadata: { resourceVersion: '52020' } } },
      { type: 'DELETED', object: slice(false) },
    ]
      .map((event) => JSON.stringify(event))
      .join('\n');
    const cut = lines.indexOf('MODIFIED') + 3;
    nock(server)
      .get(path)
      .query({ labelSelector: 'kubernetes.io/service-name=web', resourceVersion: '52001', allowWatchBookmarks: 'true', watch: '1' })
      .reply(200, () => {
        const body = new PassThrough();
        body.write(lines.slice(0, cut));
        setTimeout(() => body.end(`${lines.slice(cut)}\n`), 20);
        return body;
      }, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    const events: WatchEvent<EndpointSlice>[] = [];
    await gateway().watch<EndpointSlice>(
      path,
      { labelSelector: 'kubernetes.io/service-name=web', resourceVersion: '52001' },
      (event) => events.push(event),
      new AbortController().signal,
    );
    assert.deepEqual(events.map((event) => event.type), ['ADDED', 'MODIFIED', 'BOOKMARK', 'DELETED']);
    assert.equal(events[1].object.endpoints?.[0].conditions?.ready, false);
  });

  test('delivers an ERROR event with its Status (410 Gone: the resourceVersion is too old)', async () => {
    const gone = status(410, 'Expired', 'too old resource version: 41000 (52001)');
    nock(server)
      .get(path)
      .query(true)
      .reply(200, `${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
    const events: WatchEvent<unknown>[] = [];
    await gateway().watch(path, { resourceVersion: '41000' }, (event) => events.push(event), new AbortController().signal);
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'ERROR');
    assert.deepEqual(events[0].object, gone);
  });

  test('resolves when the signal aborts a watch the server keeps open', async () => {
    const body = new PassThrough();
    nock(server).get(path).query(true).reply(200, () => body);
    const controller = new AbortController();
    const events: string[] = [];
    const watching = gateway().watch<EndpointSlice>(path, { resourceVersion: '52001' }, (event) => {
      events.push(event.type);
      controller.abort();
    }, controller.signal);
    body.write(`${JSON.stringify({ type: 'ADDED', object: slice(true) })}\n`);
    await watching;
    assert.deepEqual(events, ['ADDED']);
    body.destroy();
  });

  test('a watch that the server refuses is translated like any request (403)', async () => {
    nock(server)
      .get(path)
      .query(true)
      .reply(403, status(403, 'Forbidden', 'endpointslices.discovery.k8s.io is forbidden: User "viewer" cannot watch resource "endpointslices" in API group "discovery.k8s.io" in the namespace "shop"'));
    const error = await rejection(gateway().watch(path, {}, () => {}, new AbortController().signal));
    assert.ok(error instanceof ApiStatusError);
    assert.equal(error.status, 403);
    assert.match(error.message, /cannot watch resource "endpointslices"/);
  });
});

// A local port that nothing listens on: connecting to it is refused at once.
async function closedPort(): Promise<number> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as net.AddressInfo;
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  return port;
}

describe('every wait bounded, every list finite', () => {
  test('without --request-timeout, a server that sends nothing for the silence limit is given up', async () => {
    nock(server).get('/api/v1/namespaces/shop/services/web').delay(2000).reply(200, service('web'));
    const client = new Gateway({ server, requestOptions: {}, timeoutMs: 0, context: 'kind-shop', silenceTimeoutMs: 150 });
    const error = await rejection(client.get('/api/v1/namespaces/shop/services/web'));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, 'the cluster of context "kind-shop" at https://127.0.0.1:6443 accepted the connection but sent nothing for 150ms to GET /api/v1/namespaces/shop/services/web');
  });

  test('a server that accepts TCP but never speaks TLS: the handshake is given up (kubectl: 10s)', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    nock.enableNetConnect('127.0.0.1');
    try {
      const client = new Gateway({ server: `https://127.0.0.1:${port}`, requestOptions: {}, timeoutMs: 0, context: 'kind-shop', handshakeTimeoutMs: 150 });
      const error = await rejection(client.get('/version'));
      assert.equal(error.message, `the cluster of context "kind-shop" at https://127.0.0.1:${port} accepted the connection but did not complete the TLS handshake within 150ms`);
    } finally {
      nock.disableNetConnect();
      silent.close();
    }
  });

  test('the command\'s deadline ends a request in flight with a DeadlineError', async () => {
    nock(server).get('/api/v1/namespaces/shop/services/web').delay(2000).reply(200, service('web'));
    const client = new Gateway({ server, requestOptions: {}, timeoutMs: 0, context: 'kind-shop', deadline: deadlineAfter(150, '--timeout 0.15s') });
    const error = await rejection(client.get('/api/v1/namespaces/shop/services/web'));
    assert.ok(error instanceof DeadlineError);
    assert.equal(error.message, 'the cluster of context "kind-shop" at https://127.0.0.1:6443 had not answered GET /api/v1/namespaces/shop/services/web when --timeout 0.15s ran out');
  });

  test('after the deadline, no request goes out; a watch ends with the DeadlineError too', async () => {
    const deadline = deadlineAfter(1, '--timeout 1ms');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const client = new Gateway({ server, requestOptions: {}, timeoutMs: 0, context: 'kind-shop', deadline });
    assert.ok((await rejection(client.get('/version'))) instanceof DeadlineError);
    assert.ok((await rejection(client.watch('/api/v1/namespaces/shop/services', {}, () => {}, new AbortController().signal))) instanceof DeadlineError);
  });

  test('a caller\'s signal ends its own request with its own reason', async () => {
    nock(server).get('/api/v1/namespaces/shop/pods').query(true).delay(2000).reply(200, podList([]));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the watch moved on')), 50);
    await assert.rejects(gateway().list('/api/v1/namespaces/shop/pods', {}, undefined, { signal: controller.signal }), /^Error: the watch moved on$/);
  });

  test('the same continue token twice ends the list with an error naming it', async () => {
    nock(server)
      .get('/api/v1/namespaces/shop/pods')
      .query({ limit: '500' })
      .reply(200, podList([pod('web-1', '10.244.1.7')], 'token-a', 1))
      .get('/api/v1/namespaces/shop/pods')
      .query({ limit: '500', continue: 'token-a' })
      .reply(200, podList([], 'token-a', 1));
    const error = await rejection(gateway().list('/api/v1/namespaces/shop/pods'));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.match(error.message, /sent the same continue token twice while listing pods in namespace "shop"/);
  });

  test('a 401: the credential source gives a fresh credential, and the request is sent once more', async () => {
    const handedOut: string[] = [];
    const credentials = {
      get: async () => ({ headers: { Authorization: `Bearer token-${handedOut.push('x')}` } }),
      rejected: () => true,
    };
    nock(server, { reqheaders: { authorization: 'Bearer token-1' } }).get('/api/v1/namespaces/shop/services/web').reply(401, status(401, 'Unauthorized', 'Unauthorized'));
    nock(server, { reqheaders: { authorization: 'Bearer token-2' } }).get('/api/v1/namespaces/shop/services/web').reply(200, service('web'));
    const client = new Gateway({ server, requestOptions: {}, timeoutMs: 0, context: 'kind-shop', credentials });
    assert.equal((await client.get<Service>('/api/v1/namespaces/shop/services/web')).metadata.name, 'web');
  });

  test('a second 401 in a row is the credentials error (one retry, not a loop)', async () => {
    const credentials = { get: async () => ({ headers: { Authorization: 'Bearer stale' } }), rejected: () => true };
    nock(server).get('/version').times(2).reply(401, status(401, 'Unauthorized', 'Unauthorized'));
    const client = new Gateway({ server, requestOptions: {}, timeoutMs: 0, context: 'kind-shop', credentials });
    const error = await rejection(client.get('/version'));
    assert.match(error.message, /rejected the credentials of context "kind-shop"/);
  });

  test('`404 page not found` for /api/v1: not a Kubernetes API server (exit 3, not "not found")', async () => {
    nock(server).get('/api/v1/namespaces/shop/services/web').reply(404, '404 page not found\n', { 'Content-Type': 'text/plain; charset=utf-8' });
    const error = await rejection(gateway().get('/api/v1/namespaces/shop/services/web'));
    assert.ok(!(error instanceof ApiStatusError));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.match(error.message, /^not a Kubernetes API server at https:\/\/127\.0\.0\.1:6443: /);
  });

  test('`404 page not found` for an API group the server does not serve stays a 404 (a CRD not installed)', async () => {
    nock(server).get('/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes').query(true).reply(404, '404 page not found\n', { 'Content-Type': 'text/plain; charset=utf-8' });
    const error = await rejection(gateway().list('/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes'));
    assert.ok(error instanceof ApiStatusError);
    assert.equal(error.status, 404);
  });
});
