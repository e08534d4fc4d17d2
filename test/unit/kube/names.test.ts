import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { ExitCode, type SvcTraceError } from '../../../src/errors.js';
import { nameViolation, nearestNames, requireValidName, type NameRule } from '../../../src/kube/names.js';

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

describe('names as the API server validates them', () => {
  const cases: Array<[string, NameRule, string | undefined]> = [
    ['shop', 'DNS-1123 label', undefined],
    ['123-abc', 'DNS-1123 label', undefined],
    ['shop#frag', 'DNS-1123 label', 'only lower-case letters, digits and "-" are allowed'],
    ['Shop', 'DNS-1123 label', 'only lower-case letters, digits and "-" are allowed'],
    ['shop.eu', 'DNS-1123 label', 'only lower-case letters, digits and "-" are allowed'],
    ['-shop', 'DNS-1123 label', 'it must start with a letter or a digit'],
    ['shop-', 'DNS-1123 label', 'it must end with a letter or a digit'],
    ['a'.repeat(64), 'DNS-1123 label', 'it is 64 characters long, and at most 63 are allowed'],
    ['', 'DNS-1123 label', 'it is empty'],
    ['web', 'DNS-1035 label', undefined],
    ['1web', 'DNS-1035 label', 'it must start with a letter'],
    ['web-7d4b9c8f6-x2x9k', 'DNS-1123 subdomain', undefined],
    ['ip-10-0-1-7.eu-west-1.compute.internal', 'DNS-1123 subdomain', undefined],
    ['a b', 'DNS-1123 subdomain', 'only lower-case letters, digits, "-" and "." are allowed'],
    ['web..0', 'DNS-1123 subdomain', 'each dot-separated part must start and end with a letter or a digit'],
    ['a'.repeat(254), 'DNS-1123 subdomain', 'it is 254 characters long, and at most 253 are allowed'],
  ];
  for (const [name, rule, violation] of cases) {
    test(`${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name)} as a ${rule}: ${violation ?? 'valid'}`, () => {
      assert.equal(nameViolation(name, rule), violation);
    });
  }

  test('requireValidName: a usage error (exit 2) with the rule in the hint', () => {
    assert.throws(
      () => requireValidName('shop/services/web?x=', 'namespace', 'namespace (-n)'),
      (error: SvcTraceError) =>
        error.exitCode === ExitCode.usage &&
        error.message === '"shop/services/web?x=" is not a valid namespace (-n): only lower-case letters, digits and "-" are allowed' &&
        error.hint.startsWith('a namespace name is a DNS-1123 label: '),
    );
    assert.doesNotThrow(() => requireValidName('shop', 'namespace'));
  });
});
