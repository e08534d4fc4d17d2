import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { nearestNames } from '../../../src/kube/names.js';

const services = ['web', 'web-canary', 'api', 'payments', 'payments-gateway', 'orders-db', 'frontend'];

describe('nearestNames ("did you mean")', () => {
  test('a typo of a Service name finds it', () => {
    assert.deepEqual(nearestNames('paymnets', services), ['payments']);
    assert.deepEqual(nearestNames('fronted', services), ['frontend']);
  });

  test('a name contained in another, or containing it, is near', () => {
    assert.deepEqual(nearestNames('orders', services), ['orders-db']);
    assert.deepEqual(nearestNames('payment', services), ['payments', 'payments-gateway']);
  });

  test('the exact name itself is not suggested, and far names are not either', () => {
    assert.deepEqual(nearestNames('web', ['web']), []);
    assert.deepEqual(nearestNames('database', services), []);
  });

  test('nearest first, at most three, each once', () => {
    const suggestions = nearestNames('web', ['web-1', 'web-2', 'web-3', 'web-4', 'wbe', 'wbe']);
    assert.equal(suggestions.length, 3);
    assert.equal(new Set(suggestions).size, 3);
    assert.ok(suggestions.every((name) => name.startsWith('web-')));
  });
});
