// The one list-then-watch helper, at the HTTP level: a node:http server on 127.0.0.1 that answers
// as kube-apiserver does (a list with its resourceVersion, chunked watch streams of JSON lines,
// BOOKMARK and ERROR events, Status bodies), scripted per request, and recording each one.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { Gateway } from '../../../src/cluster/gateway.js';
import { backoffMs, listWatch } from '../../../src/cluster/list-watch.js';
import { ApiStatusError } from '../../../src/errors.js';
import type { EndpointSlice } from '../../../src/kube/types.js';

const path = '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices';
const query = { labelSelector: 'kubernetes.io/service-name=web' };
const quickBackoff = { initialMs: 20, maxMs: 80 };

const slice = (name: string, resourceVersion: string, ready = true): EndpointSlice => ({
  metadata: {
    name,
    namespace: 'shop',
    resourceVersion,
    labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
  },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready, serving: ready, terminating: false }, nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: 'shop', name: `${name}-pod` } }],
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});
const list = (resourceVersion: string, items: EndpointSlice[]) =>
  JSON.stringify({ kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', metadata: { resourceVersion }, items });
const line = (type: string, object: unknown) => `${JSON.stringify({ type, object: { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', ...(object as object) } })}\n`;
const bookmark = (resourceVersion: string) => line('BOOKMARK', { metadata: { resourceVersion } });
const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

interface Seen {
  watch: boolean;
  resourceVersion: string | null;
  allowWatchBookmarks: string | null;
  labelSelector: string | null;
}

type Answer = (response: http.ServerResponse, request: Seen) => void;

// Answers the n-th request with answers[n] (the last one for every later request).
async function apiServer(answers: Answer[], port = 0) {
  const requests: Seen[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const seen: Seen = {
      watch: url.searchParams.get('watch') === '1',
      resourceVersion: url.searchParams.get('resourceVersion'),
      allowWatchBookmarks: url.searchParams.get('allowWatchBookmarks'),
      labelSelector: url.searchParams.get('labelSelector'),
    };
    requests.push(seen);
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)]!;
    answer(response, seen);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    requests,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (code: number, body: string | object): Answer => (response) => {
  response.writeHead(code, { 'Content-Type': 'application/json' });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
};
// A watch stream: these lines, then the server ends it (as it does after its timeout) or holds it open.
const stream = (lines: string[], end: 'end' | 'hold' | 'drop' = 'end'): Answer => (response) => {
  response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  for (const text of lines) response.write(text);
  if (end === 'end') response.end();
  // The connection breaks mid-stream: no last chunk, the socket just goes.
  if (end === 'drop') setTimeout(() => response.socket?.destroy(), 20);
};

const gatewayFor = (port: number) => new Gateway({ server: `http://127.0.0.1:${port}`, requestOptions: {}, timeoutMs: 0, context: 'test' });
const shown = (seen: Seen) => `${seen.watch ? 'watch' : 'list'} ${seen.resourceVersion ?? ''}`.trimEnd();
const names = (items: EndpointSlice[]) => items.map((item) => `${item.metadata.name}@${item.metadata.resourceVersion}`).join(',');

// Follows until `count` sets have been handed on (and the request after that is made): what was
// handed on ("listed a@1,b@2"), and each report of trouble (its message; undefined: regained).
async function follow(server: { port: number; close: () => Promise<void> }, count: number) {
  const stop = new AbortController();
  const seen: string[] = [];
  const troubles: Array<string | undefined> = [];
  try {
    await listWatch<EndpointSlice>(
      gatewayFor(server.port),
      { path, query },
      {
        onItems: (items, cause) => {
          seen.push(`${cause} ${names(items)}`);
          if (seen.length === count) setTimeout(() => stop.abort(), 50);
        },
        onTrouble: (problem) => troubles.push(problem === undefined ? undefined : (problem as Error).message),
      },
      { signal: stop.signal, backoff: quickBackoff },
    );
  } finally {
    await server.close();
  }
  return { seen, troubles };
}

describe('listWatch: list, then watch from the resourceVersion', () => {
  test('a watch the server ends is resumed from the last resourceVersion seen (a bookmark counts), without listing again', async () => {
    const server = await apiServer([
      json(200, list('100', [slice('web-a', '90')])),
      stream([line('MODIFIED', slice('web-a', '101', false)), bookmark('150')]),
      stream([line('ADDED', slice('web-b', '160'))], 'hold'),
    ]);
    const { seen } = await follow(server, 3);
    assert.deepEqual(seen, ['listed web-a@90', 'changed web-a@101', 'changed web-a@101,web-b@160']);
    assert.deepEqual(server.requests.map(shown), ['list', 'watch 100', 'watch 150']);
    assert.ok(server.requests.every((r) => r.labelSelector === query.labelSelector), 'the same selector for the list and each watch');
    assert.ok(server.requests.filter((r) => r.watch).every((r) => r.allowWatchBookmarks === 'true'), 'bookmarks asked for');
  });

  test('410 Gone on the watch request: the set is listed again and handed on whole, then watched from the new list', async () => {
    const server = await apiServer([
      json(200, list('100', [slice('web-a', '90'), slice('web-b', '95')])),
      json(410, status(410, 'Expired', 'too old resource version: 100 (2200)')),
      json(200, list('2300', [slice('web-b', '2250')])),
      stream([], 'hold'),
    ]);
    const { seen, troubles } = await follow(server, 2);
    assert.deepEqual(seen, ['listed web-a@90,web-b@95', 'listed web-b@2250'], 'web-a, deleted while the watch was away, is gone');
    assert.deepEqual(server.requests.map(shown), ['list', 'watch 100', 'list', 'watch 2300']);
    assert.deepEqual(troubles, [], 'an expired resourceVersion is routine, not trouble');
  });

  test('an ERROR event that is not 410: reported, then listed again', async () => {
    const server = await apiServer([
      json(200, list('100', [slice('web-a', '90')])),
      stream([line('ERROR', status(500, 'InternalError', 'etcdserver: request timed out'))]),
      json(200, list('300', [slice('web-a', '290')])),
      stream([], 'hold'),
    ]);
    const { troubles } = await follow(server, 2);
    assert.deepEqual(server.requests.map(shown), ['list', 'watch 100', 'list', 'watch 300']);
    assert.deepEqual(troubles, ['etcdserver: request timed out', undefined]);
  });

  test('a dropped connection, then a server that refuses connections: one report, back-off, resumed from the last resourceVersion when it is back', async () => {
    const first = await apiServer([
      json(200, list('100', [slice('web-a', '90')])),
      stream([line('MODIFIED', slice('web-a', '101', false))], 'drop'),
      // Resumed at once after the drop; then the server goes away (an API server restart).
      stream([line('MODIFIED', slice('web-a', '102'))], 'drop'),
    ]);
    const { port } = first;
    const stop = new AbortController();
    const events: string[] = [];
    let second: Awaited<ReturnType<typeof apiServer>> | undefined;
    const running = listWatch<EndpointSlice>(
      gatewayFor(port),
      { path, query },
      {
        onItems: (items, cause) => {
          events.push(`${cause} ${names(items)}`);
          if (cause === 'changed' && items[0]!.metadata.resourceVersion === '102') void first.close();
          if (items[0]!.metadata.resourceVersion === '103') setTimeout(() => stop.abort(), 50);
        },
        onTrouble: (problem) => {
          events.push(problem === undefined ? 'regained' : `lost: ${(problem as Error).message}`);
          // The API server comes back on the same address.
          if (problem !== undefined) {
            setTimeout(() => {
              void apiServer([stream([line('MODIFIED', slice('web-a', '103'))], 'hold')], port).then((server) => (second = server));
            }, 200);
          }
        },
      },
      { signal: stop.signal, backoff: quickBackoff },
    );
    try {
      await running;
    } finally {
      await first.close();
      await second?.close();
    }
    assert.deepEqual(first.requests.map(shown), ['list', 'watch 100', 'watch 101']);
    assert.deepEqual(second!.requests.map(shown), ['watch 102'], 'resumed where it was, not listed again');
    assert.deepEqual(events, [
      'listed web-a@90',
      'changed web-a@101',
      'changed web-a@102',
      `lost: cannot reach the cluster of context "test" at http://127.0.0.1:${port}: connection refused`,
      'regained',
      'changed web-a@103',
    ]);
  });

  test('403 on the watch: nothing a retry mends — the promise rejects with the error, and no request follows', async () => {
    const server = await apiServer([
      json(200, list('100', [])),
      json(403, status(403, 'Forbidden', 'endpointslices.discovery.k8s.io is forbidden: User "reader" cannot watch resource "endpointslices" in API group "discovery.k8s.io" in the namespace "shop"')),
    ]);
    try {
      await assert.rejects(
        listWatch<EndpointSlice>(gatewayFor(server.port), { path, query }, { onItems: () => {} }, { signal: new AbortController().signal, backoff: quickBackoff }),
        (error: unknown) => error instanceof ApiStatusError && error.status === 403 && /cannot watch resource "endpointslices"/.test(error.message),
      );
      assert.deepEqual(server.requests.map(shown), ['list', 'watch 100']);
    } finally {
      await server.close();
    }
  });

  test('401 on the watch: tried once more (with a fresh credential); a second 401 rejects', async () => {
    const unauthorized = json(401, status(401, 'Unauthorized', 'Unauthorized'));
    const server = await apiServer([json(200, list('100', [])), unauthorized, unauthorized]);
    try {
      await assert.rejects(
        listWatch<EndpointSlice>(gatewayFor(server.port), { path, query }, { onItems: () => {} }, { signal: new AbortController().signal, backoff: quickBackoff }),
        (error: unknown) => error instanceof ApiStatusError && error.status === 401,
      );
      assert.deepEqual(server.requests.map(shown), ['list', 'watch 100', 'watch 100']);
    } finally {
      await server.close();
    }
  });

  test('the signal ends it while it backs off from a server that is down: it resolves, having reported the trouble once', { timeout: 10_000 }, async () => {
    const closed = await apiServer([json(200, list('1', []))]);
    await closed.close();
    const stop = new AbortController();
    const troubles: unknown[] = [];
    await listWatch<EndpointSlice>(
      gatewayFor(closed.port),
      { path, query },
      {
        onItems: () => {},
        onTrouble: (problem) => {
          troubles.push(problem);
          setTimeout(() => stop.abort(), 100);
        },
      },
      // Long waits: only the signal can end this test in time.
      { signal: stop.signal, backoff: { initialMs: 60_000, maxMs: 60_000 } },
    );
    assert.equal(troubles.length, 1);
  });
});

describe('backoffMs: bounded, doubling, jittered', () => {
  test('doubles from the first wait up to the cap; jitter keeps each wait between half and all of it', () => {
    const backoff = { initialMs: 500, maxMs: 5000 };
    assert.deepEqual([0, 1, 2, 3, 4, 10, 100].map((n) => backoffMs(backoff, n, () => 1)), [500, 1000, 2000, 4000, 5000, 5000, 5000]);
    assert.deepEqual([0, 1, 4].map((n) => backoffMs(backoff, n, () => 0)), [250, 500, 2500]);
  });
});
