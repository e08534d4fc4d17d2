// Which pods a Service port can be forwarded to, and on which target port, from the EndpointSlices
// as the controller writes them.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backendsFor, diffBackends, isUsable } from '../../../src/forward/backends.js';
import { loadFixture, without, withConditions } from './fixtures.js';

const portOf = (fixture: ReturnType<typeof loadFixture>, name: string) => fixture.service.spec.ports!.find((p) => p.name === name)!;

describe('backends of a Service port', () => {
  test('a named targetPort goes to the port the EndpointSlice resolved for it', () => {
    const web = loadFixture('healthy-web');
    const backends = backendsFor(portOf(web, 'http'), web.slices);
    assert.deepEqual(
      backends.map((b) => [b.pod, b.node, b.targetPort, isUsable(b)]),
      [
        ['web-7d9c5b6f4d-7b2nj', 'worker-2', 8080, true],
        ['web-7d9c5b6f4d-nfh7v', 'worker-1', 8080, true],
      ],
    );
    assert.deepEqual(backendsFor(portOf(web, 'metrics'), web.slices).map((b) => b.targetPort), [9090, 9090]);
  });

  test('pods whose slice lacks the port (they name it differently) have no target port and take no connection', () => {
    const rollout = loadFixture('named-port-partial-rollout');
    const backends = backendsFor(portOf(rollout, 'http'), rollout.slices);
    const old = backends.find((b) => b.pod === 'web-7d9c5b6f4d-7b2nj')!;
    assert.equal(old.targetPort, undefined);
    assert.equal(isUsable(old), false);
    assert.deepEqual(backends.filter(isUsable).map((b) => b.pod), ['web-6b7f9c8d4f-2wbmk', 'web-6b7f9c8d4f-kd9wl']);
  });

  test('terminating and not-ready endpoints are listed but not usable', () => {
    const terminating = loadFixture('rollout-terminating');
    const listed = backendsFor(portOf(terminating, 'http'), terminating.slices);
    assert.equal(listed.length, 3);
    assert.deepEqual(listed.filter((b) => !isUsable(b)).map((b) => [b.pod, b.terminating]), [['web-7d9c5b6f4d-7b2nj', true]]);
    const failing = loadFixture('readiness-failing');
    assert.deepEqual(backendsFor(portOf(failing, 'http'), failing.slices).filter(isUsable).map((b) => b.pod), ['web-7d9c5b6f4d-nfh7v']);
  });

  test('a dual-stack pod listed in an IPv4 and an IPv6 slice is one backend', () => {
    const dual = loadFixture('dual-stack');
    const backends = backendsFor(portOf(dual, 'http'), dual.slices);
    assert.equal(backends.length, 2);
    assert.ok(backends.every((b) => !b.address.includes(':')), 'the IPv4 address is shown');
  });

  test('endpoints that are not pods (no targetRef) cannot be forwarded to', () => {
    const external = loadFixture('external-database');
    assert.deepEqual(backendsFor(portOf(external, 'postgres'), external.slices), []);
  });

  test('missing conditions count as ready, as the API defines', () => {
    const web = loadFixture('healthy-web');
    const slice = { ...web.slices[0]!, endpoints: web.slices[0]!.endpoints!.map(({ conditions: _dropped, ...endpoint }) => endpoint) };
    assert.ok(backendsFor(portOf(web, 'http'), [slice]).every(isUsable));
  });
});

describe('changes of the backend set', () => {
  test('a pod leaving, turning not ready, and joining are told apart', () => {
    const web = loadFixture('healthy-web');
    const port = portOf(web, 'http');
    const before = backendsFor(port, web.slices);
    const notReady = withConditions(web.slices[0]!, 'web-7d9c5b6f4d-nfh7v', { ready: false, serving: false, terminating: false });
    const after = backendsFor(port, [without(notReady, 'web-7d9c5b6f4d-7b2nj')]);
    assert.deepEqual(
      diffBackends(before, after).map((c) => [c.kind, c.backend.pod, c.kind === 'changed' ? c.from : undefined]),
      [
        ['removed', 'web-7d9c5b6f4d-7b2nj', undefined],
        ['changed', 'web-7d9c5b6f4d-nfh7v', 'ready'],
      ],
    );
    assert.deepEqual(diffBackends(after, before).map((c) => c.kind), ['added', 'changed']);
    assert.deepEqual(diffBackends(before, before), []);
  });
});
