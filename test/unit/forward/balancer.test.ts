// Where new connections go and what a change of endpoints does to the open ones: round robin over
// ready, non-terminating endpoints; a pod that goes away takes its connections with it; with no
// ready endpoint, connections wait (bounded) and go on when one is back.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Backend } from '../../../src/forward/backends.js';
import { Balancer, type Arrival } from '../../../src/forward/balancer.js';

const backend = (pod: string, state: Partial<Backend> = {}): Backend => ({
  pod,
  address: '10.244.1.1',
  targetPort: 8080,
  ready: true,
  terminating: false,
  ...state,
});
const podOf = (arrival: Arrival) => (arrival.kind === 'dial' ? arrival.backend.pod : arrival.kind);
const waitMs = 30_000;

function balancerWith(backends: Backend[]): Balancer {
  const balancer = new Balancer(waitMs);
  balancer.update(backends);
  return balancer;
}

describe('round robin', () => {
  test('new connections take turns over the ready endpoints', () => {
    const balancer = balancerWith([backend('web-a'), backend('web-b'), backend('web-c')]);
    assert.deepEqual([1, 2, 3, 4, 5].map((id) => podOf(balancer.arrive(id, 0))), ['web-a', 'web-b', 'web-c', 'web-a', 'web-b']);
  });

  test('never a not-ready, terminating or port-less endpoint', () => {
    const balancer = balancerWith([
      backend('web-a', { ready: false }),
      backend('web-b'),
      backend('web-c', { ready: false, terminating: true }),
      backend('web-d', { targetPort: undefined }),
    ]);
    assert.deepEqual([1, 2, 3].map((id) => podOf(balancer.arrive(id, 0))), ['web-b', 'web-b', 'web-b']);
  });

  test('a pod that joins takes its turn without restarting the rotation', () => {
    const balancer = balancerWith([backend('web-a'), backend('web-c')]);
    assert.equal(podOf(balancer.arrive(1, 0)), 'web-a');
    balancer.update([backend('web-a'), backend('web-b'), backend('web-c')]);
    assert.deepEqual([2, 3, 4].map((id) => podOf(balancer.arrive(id, 0))), ['web-b', 'web-c', 'web-a']);
  });
});

describe('failover', () => {
  test('a pod that leaves closes its connections only', () => {
    const balancer = balancerWith([backend('web-a'), backend('web-b')]);
    balancer.arrive(1, 0); // web-a
    balancer.arrive(2, 0); // web-b
    balancer.arrive(3, 0); // web-a
    const update = balancer.update([backend('web-b')]);
    assert.deepEqual(update.close, [
      { connection: 1, pod: 'web-a', reason: "pod web-a left the Service's endpoints" },
      { connection: 3, pod: 'web-a', reason: "pod web-a left the Service's endpoints" },
    ]);
    assert.equal(balancer.openOn('web-b'), 1);
    assert.equal(podOf(balancer.arrive(4, 0)), 'web-b');
  });

  test('a pod that turns not ready or terminating closes its connections, saying why', () => {
    const balancer = balancerWith([backend('web-a'), backend('web-b')]);
    balancer.arrive(1, 0);
    balancer.arrive(2, 0);
    const update = balancer.update([backend('web-a', { ready: false }), backend('web-b', { ready: false, terminating: true })]);
    assert.deepEqual(update.close.map((c) => c.reason), ['pod web-a is not ready', 'pod web-b is terminating']);
    assert.equal(update.usableAfter, 0);
  });

  test('a target port that changes under open connections closes them', () => {
    const balancer = balancerWith([backend('web-a')]);
    balancer.arrive(1, 0);
    const update = balancer.update([backend('web-a', { targetPort: 9090 })]);
    assert.deepEqual(update.close.map((c) => c.reason), ['the target port of pod web-a changed from 8080 to 9090']);
  });

  test('a connection that could not be opened on one pod tries the others, then gives up', () => {
    const balancer = balancerWith([backend('web-a'), backend('web-b')]);
    assert.equal(podOf(balancer.arrive(1, 0)), 'web-a');
    assert.equal(podOf(balancer.failed(1, 'web-a', 0)), 'web-b');
    assert.equal(podOf(balancer.failed(1, 'web-b', 0)), 'give-up');
    // Another connection is not held to what the first one tried.
    assert.notEqual(podOf(balancer.arrive(2, 0)), 'give-up');
  });
});

describe('no ready endpoint', () => {
  test('new connections wait, and go on in arrival order when an endpoint is ready again', () => {
    const balancer = balancerWith([backend('web-a', { ready: false })]);
    assert.deepEqual(balancer.arrive(1, 1000), { kind: 'wait', deadline: 31_000 });
    assert.deepEqual(balancer.arrive(2, 2000), { kind: 'wait', deadline: 32_000 });
    assert.equal(balancer.waitingCount, 2);
    const update = balancer.update([backend('web-a'), backend('web-b')]);
    assert.equal(update.usableBefore, 0);
    assert.equal(update.usableAfter, 2);
    assert.deepEqual(update.dial.map((d) => [d.connection, d.backend.pod]), [[1, 'web-a'], [2, 'web-b']]);
    assert.equal(balancer.waitingCount, 0);
  });

  test('a connection waits no longer than the wait timeout', () => {
    const balancer = balancerWith([]);
    balancer.arrive(1, 0);
    balancer.arrive(2, 10_000);
    assert.equal(balancer.nextDeadline(), 30_000);
    assert.deepEqual(balancer.expire(29_999), []);
    assert.deepEqual(balancer.expire(30_000), [1]);
    assert.equal(balancer.nextDeadline(), 40_000);
    // Expired connections are gone: an endpoint coming back does not dial them.
    assert.deepEqual(balancer.update([backend('web-a')]).dial.map((d) => d.connection), [2]);
  });

  test('a waiting connection whose client left is forgotten', () => {
    const balancer = balancerWith([]);
    balancer.arrive(1, 0);
    balancer.release(1);
    assert.deepEqual(balancer.update([backend('web-a')]).dial, []);
  });

  test('losing the last ready endpoint is reported as such', () => {
    const balancer = balancerWith([backend('web-a')]);
    const update = balancer.update([]);
    assert.equal(update.usableBefore, 1);
    assert.equal(update.usableAfter, 0);
    assert.equal(podOf(balancer.arrive(1, 0)), 'wait');
  });
});
