// Following a Service's EndpointSlices through the watch API, against a local HTTP server that
// answers as the API server does: a list, then watches from its resourceVersion, a watch that the
// server ends (resumed from the last resourceVersion seen), and a 410 Gone (listed again).

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Gateway } from '../../../src/cluster/gateway.js';
import { followEndpointSlices, listEndpointSlices } from '../../../src/cluster/follow.js';
import type { EndpointSlice } from '../../../src/kube/types.js';
import { loadFixture, without } from '../forward/fixtures.js';

const web = loadFixture('healthy-web');
const slice = (resourceVersion: string, from: EndpointSlice = web.slices[0]!): EndpointSlice => ({
  ...from,
  metadata: { ...from.metadata, resourceVersion },
});
const list = (resourceVersion: string, items: EndpointSlice[]) =>
  JSON.stringify({ kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', metadata: { resourceVersion }, items });
const event = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;

test('the slices are listed, then followed: modified, the watch resumed, 410 Gone listed again', async () => {
  const requests: string[] = [];
  let lists = 0;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const query = url.searchParams;
    requests.push(`${query.get('watch') ? 'watch' : 'list'} ${query.get('resourceVersion') ?? ''} ${query.get('labelSelector')}`);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    if (!query.get('watch')) {
      lists += 1;
      response.end(lists === 1 ? list('100', [slice('100')]) : list('200', [slice('200', without(web.slices[0]!, 'web-7d9c5b6f4d-nfh7v'))]));
      return;
    }
    switch (query.get('resourceVersion')) {
      case '100':
        // A pod turned not ready, then the server ends the watch (as it does every few minutes).
        response.end(event('MODIFIED', slice('101', without(web.slices[0]!, 'web-7d9c5b6f4d-7b2nj'))));
        return;
      case '101':
        response.end(event('ERROR', { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'too old resource version: 101 (150)', reason: 'Expired', code: 410 }));
        return;
      default:
        // Held open until the follower stops.
        response.write(event('BOOKMARK', { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', metadata: { resourceVersion: '201' } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const gateway = new Gateway({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requestOptions: {}, timeoutMs: 0, context: 'test' });
  const stop = new AbortController();
  const seen: string[][] = [];
  const troubles: Array<string | undefined> = [];
  try {
    const initial = await listEndpointSlices(gateway, 'shop', 'web');
    const following = followEndpointSlices(
      gateway,
      { namespace: 'shop', service: 'web' },
      {
        onSlices: (slices) => {
          seen.push(slices.flatMap((s) => (s.endpoints ?? []).map((e) => e.targetRef!.name!)));
          if (seen.length === 2) setTimeout(() => stop.abort(), 50);
        },
        onTrouble: (message) => troubles.push(message),
      },
      { signal: stop.signal, initial },
    );
    await following;
  } finally {
    server.closeAllConnections();
    server.close();
  }
  assert.deepEqual(seen, [['web-7d9c5b6f4d-nfh7v'], ['web-7d9c5b6f4d-7b2nj']]);
  assert.deepEqual(requests.slice(0, 5), [
    'list  kubernetes.io/service-name=web',
    'watch 100 kubernetes.io/service-name=web',
    'watch 101 kubernetes.io/service-name=web',
    'list  kubernetes.io/service-name=web',
    'watch 200 kubernetes.io/service-name=web',
  ]);
  assert.deepEqual(troubles, []);
});
