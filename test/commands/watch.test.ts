// `kubectl svc-trace SERVICE -w -o text` against the fake API server (test/support/apiserver.ts):
// the Service and its EndpointSlices are listed, then traced, then watched from the lists'
// resourceVersion — so the first trace is printed once — and a change (a pod turning ready) prints
// the next trace. Ctrl-C ends it with exit 0.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubeconfigFor, startApiServer, type RecordedRequest } from '../support/apiserver.js';
import { becomeReady } from './not-ready.js';
import { run, sandbox, type Sandbox } from './run.js';

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

const shown = (request: RecordedRequest) => `${request.query.watch ? 'watch' : 'get'} ${request.path}${request.query.resourceVersion ? ` from ${request.query.resourceVersion}` : ''}`;

test('-w: listed, traced once, watched from the lists; a pod turning ready prints the next trace; Ctrl-C exits 0', async () => {
  const server = await startApiServer('not-ready');
  try {
    const kubeconfig = await box.kubeconfig(kubeconfigFor(server), 'watch.yaml');
    const stop = new AbortController();
    const running = run(['web', '-w', '-o', 'text'], { home: box.home, kubeconfig, signal: stop.signal });
    await server.watching('endpointslices');
    await server.watching('services');
    const serviceGets = () => server.requests.filter((r) => r.path === '/api/v1/namespaces/shop/services/web').length;
    while (serviceGets() < 1) await sleep(50);
    await sleep(600);
    assert.equal(serviceGets(), 1, 'one trace at the start');
    becomeReady(server);
    while (serviceGets() < 2) await sleep(50);
    await sleep(600);
    stop.abort();
    const result = await running;

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const traces = result.stdout.split(/\n(?=Service: )/);
    assert.deepEqual(traces.map((text) => /^Ready: +(.*)$/m.exec(text)?.[1]), ['2/3 endpoints', '3/3 endpoints']);
    const order = server.requests.map(shown);
    const listed = (path: string) => order.indexOf(`get ${path}`);
    const slices = '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices';
    assert.ok(listed('/api/v1/namespaces/shop/services') < order.indexOf('get /api/v1/namespaces/shop/services/web'), 'the Service listed before the first trace');
    assert.ok(listed(slices) < order.indexOf('get /api/v1/namespaces/shop/services/web'), 'the slices listed before the first trace');
    const watches = server.requests.filter((r) => r.query.watch === '1');
    assert.equal(watches.length, 2, order.join('\n'));
    assert.ok(watches.every((r) => r.query.resourceVersion === '61234'), 'each watch starts from its list, without replaying it');
  } finally {
    await server.close();
  }
});
