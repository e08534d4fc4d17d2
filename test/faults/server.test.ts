// API servers (and things that only look like one) that misbehave: endless pagination, silence,
// a 404 that is not a Status, 500s on lookups a trace can do without, an object that breaks svc-trace.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { sandbox, type Sandbox } from '../commands/run.js';
import { assertBounded, hasScript, onTerminal, withFault } from './support.js';

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

// A list page as kube-apiserver sends one, with a continue token.
function podPage(response: ServerResponse, token: string): void {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '61234', continue: token, remainingItemCount: 1 }, items: [] }));
}

const statusBody = (code: number, reason: string, message: string) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

describe('pagination that never ends', () => {
  test('the same continue token again: exit 3, naming the list', async () => {
    await withFault(
      box,
      (request, response, url) => {
        if (url.pathname !== '/api/v1/namespaces/shop/pods') return false;
        podPage(response, 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NjEyMzR9');
        return true;
      },
      async ({ server, trace }) => {
        const result = await trace('-n', 'shop');
        assert.equal(result.code, 3, result.stderr);
        assert.equal(
          result.firstLine,
          'error: the API server of context "fake" sent the same continue token twice while listing pods in namespace "shop": the list would never end',
        );
        assert.equal(server.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods').length, 2);
        assertBounded(result, 20);
      },
    );
  });

  test('a new continue token on every page: exit 3 after the page cap, naming the list', async () => {
    let page = 0;
    await withFault(
      box,
      (request, response, url) => {
        if (url.pathname !== '/api/v1/namespaces/shop/pods') return false;
        page += 1;
        podPage(response, Buffer.from(`page-${page}`).toString('base64url'));
        return true;
      },
      async ({ trace }) => {
        const result = await trace('-n', 'shop');
        assert.equal(result.code, 3, result.stderr);
        assert.equal(result.firstLine, 'error: the list of pods in namespace "shop" from the API server of context "fake" did not end after 1000 pages (0 objects)');
        assert.equal(page, 1000);
        assertBounded(result, 25);
      },
    );
  });
});

describe('a server that accepts the connection and never answers', () => {
  const silent = (_request: unknown, _response: ServerResponse, url: URL): boolean => url.pathname.startsWith('/api/');

  test('--request-timeout 2s: exit 3 naming the request', async () => {
    await withFault(box, silent, async ({ server, trace }) => {
      const result = await trace('web', '--request-timeout', '2s');
      assert.equal(result.code, 3, result.stderr);
      assert.equal(result.firstLine, `error: the cluster of context "fake" at ${server.url} did not answer GET /api/v1/namespaces/shop/services/web within 2s`);
      assertBounded(result, 15);
    });
  });

  test('assert --timeout 3s is a deadline for the whole command: exit 3 once it has run out', async () => {
    await withFault(box, silent, async ({ server, trace }) => {
      const result = await trace('assert', 'web', '--timeout', '3s');
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.firstLine, new RegExp(`^error: the cluster of context "fake" at ${server.url} had not answered GET /api/v1/namespaces/shop/(services/web|namespaces/shop|[a-z]+) when --timeout 3s ran out$`));
      assertBounded(result, 15);
    });
  });

  test('assert --timeout 3s when the cluster stops answering after the first look: the report so far, exit 1', async () => {
    let serviceGets = 0;
    const fault = (_request: unknown, _response: ServerResponse, url: URL): boolean =>
      url.pathname === '/api/v1/namespaces/shop/services/web' && !url.searchParams.has('watch') && (serviceGets += 1) > 1;
    await withFault(box, fault, async ({ trace }) => {
      const result = await trace('assert', 'web', '--min-ready', '5', '--timeout', '3s');
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /^shop\/web {2}ok {2}2\/2 endpoints ready$/m);
      assert.match(result.stdout, /FAILED: 1 of 1 Service did not meet the assertions \(timed out after \d+(\.\d+)?s\)/);
      assert.ok(serviceGets >= 2, 'the last look asked again');
      assertBounded(result, 15);
    });
  });

  test('on a terminal, one line after a few seconds says what it waits for', { skip: hasScript() ? false : 'util-linux `script` is not installed: no terminal to run on' }, async () => {
    await withFault(box, silent, async ({ server, kubeconfig }) => {
      const started = performance.now();
      const output = await onTerminal(['web'], box, kubeconfig, /waiting for/, 20);
      const seconds = (performance.now() - started) / 1000;
      assert.equal(output.split('\n')[0], `waiting for the API server at ${server.url} (GET /api/v1/namespaces/shop/services/web)`);
      assert.ok(seconds < 15, `the waiting line came after ${seconds.toFixed(1)}s`);
    });
  });
});

describe('wrong diagnoses', () => {
  test('`404 page not found` without a Status everywhere (a wrong URL): not a Kubernetes API server, exit 3', async () => {
    await withFault(
      box,
      (_request, response) => {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('404 page not found\n');
        return true;
      },
      async ({ server, trace }) => {
        const result = await trace('web');
        assert.equal(result.code, 3, result.stderr);
        assert.equal(
          result.firstLine,
          `error: not a Kubernetes API server at ${server.url}: it answered GET /api/v1/namespaces/shop/services/web with 404 "404 page not found", not a Kubernetes Status`,
        );
        assert.match(result.stderr.split('\n')[1]!, /^hint: check the server URL of cluster "fake" in the kubeconfig/);
        assertBounded(result, 15);
      },
    );
  });

  test('500 on the optional lookups (events, nodes, networkpolicies, namespaces) degrades to notes, as a 403 does', async () => {
    const optional = /^\/api\/v1\/(namespaces\/shop\/events|nodes|namespaces\/shop)$|\/networkpolicies$/;
    await withFault(
      box,
      (_request, response, url) => {
        if (!optional.test(url.pathname)) return false;
        response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end(statusBody(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out'));
        return true;
      },
      async ({ trace }) => {
        const result = await trace('web', '-o', 'json');
        assert.equal(result.code, 0, result.stderr);
        const output = JSON.parse(result.stdout) as { verdict: string; hops: { kind: string; notes?: string[] }[] };
        const notes = output.hops.flatMap((hop) => hop.notes ?? []);
        assert.ok(notes.some((note) => /events: the API server failed to list them \(500 InternalError\)/.test(note)), notes.join('\n'));
        assert.ok(notes.some((note) => /networkpolicies: the API server failed to list them \(500 InternalError\)/.test(note)), notes.join('\n'));
        assertBounded(result, 15);
      },
    );
  });
});

describe('a bug in svc-trace', () => {
  test('an exception nobody expected: exit 5, "internal error", and a request to report it with --debug', async () => {
    await withFault(
      box,
      (_request, response, url) => {
        if (url.pathname !== '/api/v1/namespaces/shop/services/web') return false;
        // Valid JSON that no API server sends (a Service without spec): the analysis trips over it.
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ kind: 'Service', apiVersion: 'v1', metadata: { name: 'web', namespace: 'shop' }, spec: null }));
        return true;
      },
      async ({ trace }) => {
        const result = await trace('web');
        assert.equal(result.code, 5, result.stderr);
        assert.match(result.firstLine, /^error: internal error: /);
        assert.equal(result.stderr.split('\n')[1], 'hint: this is a bug in svc-trace: please report it with the output of the same command run again with --debug');
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace without --debug');
      },
    );
  });
});
