// The text report a CI log shows, and the progress line of a wait: each assertion ok or fail, the
// reasons under a failure, one closing line that says PASSED or FAILED — never just "failed".

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import { parseAssertions, portOf, type AssertionFlags } from '../../../src/assert/assertions.js';
import { evaluateMissingService, evaluateService } from '../../../src/assert/evaluate.js';
import type { ServiceEvaluation } from '../../../src/assert/model.js';
import { progressLine } from '../../../src/assert/progress.js';
import { assertionResult } from '../../../src/assert/result.js';
import { formatSeconds, renderAssertText } from '../../../src/assert/text.js';
import { notFoundError } from '../../../src/errors.js';
import { loadFixture, snapshotOf } from '../../support/snapshot.js';

function evaluate(fixture: string, flags: AssertionFlags = {}): ServiceEvaluation {
  const assertions = parseAssertions(flags);
  const snapshot = snapshotOf(loadFixture(fixture));
  return evaluateService(snapshot, analyze(snapshot, { port: portOf(assertions) }), assertions);
}

const timing = (elapsedSeconds: number, timedOut: boolean) => ({ elapsedSeconds, timeoutSeconds: timedOut ? 120 : 0, timedOut, passingSince: new Map<string, number>() });

describe('text report', () => {
  test('a failure: the Service, the failed assertion with its reason, the not-ready pods, the error findings, FAILED', () => {
    const text = renderAssertText(assertionResult([evaluate('no-ready-endpoints', { minReady: '2', noErrors: true })], timing(121.4, true)), { color: false });
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'shop/web  broken  0/3 endpoints ready');
    assert.equal(lines[1], '  fail  min-ready >= 2  0 of 3 endpoints ready');
    assert.match(lines[2]!, /^ {24}not ready: web-7d9c5b6f4d-nfh7v .*: readiness probe of web failing$/);
    assert.ok(lines.includes(`${' '.repeat(24)}not ready: web-7d9c5b6f4d-fpsps (no endpoint): Pending (Unschedulable)`), text);
    assert.ok(lines.includes('  fail  no-errors       1 error finding: no-ready-endpoints'), text);
    assert.ok(lines.some((line) => /^ {26}hint: /.test(line)), 'the finding\'s hint is shown');
    assert.equal(lines.at(-1), 'FAILED: 1 of 1 Service did not meet the assertions (timed out after 2m)');
    assert.ok(!text.includes('\u001b['), 'no colour when asked for none');
  });

  test('a pass: ok lines and PASSED with the time it took', () => {
    const text = renderAssertText(assertionResult([evaluate('healthy-web', { minReady: '2' }), { ...evaluate('nodeport'), name: 'edge' }], timing(3.21, false)), { color: false });
    assert.equal(
      text,
      [
        'shop/web  ok  2/2 endpoints ready',
        '  ok    min-ready >= 2  2 of 2 endpoints ready',
        '',
        'shop/edge  ok  2/2 endpoints ready',
        '  ok    min-ready >= 1  2 of 2 endpoints ready',
        '',
        'PASSED: every assertion holds for all 2 Services (after 3.2s)',
        '',
      ].join('\n'),
    );
  });

  test('a check without wait says so; a missing Service says not found and the hint', () => {
    const missing = evaluateMissingService({ namespace: 'shop', name: 'wbe' }, notFoundError('service "wbe" not found in namespace "shop"', 'did you mean web?'), parseAssertions({}));
    const text = renderAssertText(assertionResult([missing], timing(0.2, false)), { color: false });
    assert.match(text, /^shop\/wbe {2}not found\n {2}fail {2}min-ready >= 1 {2}service "wbe" not found in namespace "shop"\n {24}hint: did you mean web\?\n/);
    assert.match(text, /FAILED: 1 of 1 Service did not meet the assertions \(checked once after 200ms\)\n$/);
  });

  test('colour on request: fail in red, ok in green', () => {
    const text = renderAssertText(assertionResult([evaluate('readiness-failing', { minReady: '3', maxNotReady: '5' })], timing(1, false)), { color: true });
    assert.ok(text.includes('\u001b[31mfail\u001b[39m'));
    assert.ok(text.includes('\u001b[32mok  \u001b[39m'));
  });

  test('durations as a person reads them', () => {
    assert.deepEqual([0.043, 2, 2.46, 60, 90, 125].map(formatSeconds), ['43ms', '2s', '2.5s', '1m', '1m30s', '2m5s']);
  });
});

describe('progress line', () => {
  test('names only the Services still waited for, with where they stand', () => {
    const web = evaluate('readiness-failing', { minReady: '3' });
    const api = { ...evaluate('healthy-web', { minReady: '3' }), name: 'api' };
    const ready = { ...evaluate('healthy-web', { minReady: '1' }), name: 'cart' };
    assert.equal(progressLine([web, api, ready]), 'waiting for shop/web: 1/3 ready (min-ready >= 3); shop/api: 2/2 ready (min-ready >= 3)');
  });

  test('a missing Service, a failing non-readiness assertion, an empty selection', () => {
    const missing = evaluateMissingService({ namespace: 'shop', name: 'web' }, notFoundError('not found', 'hint'), parseAssertions({}));
    assert.equal(progressLine([missing]), 'waiting for shop/web: not found yet');
    assert.equal(progressLine([evaluate('nodeport', { type: 'LoadBalancer' })]), 'waiting for shop/web: type == LoadBalancer: the Service is of type NodePort, not LoadBalancer');
    assert.equal(progressLine([], { namespace: 'shop', labelSelector: 'app=web' }), 'waiting for a Service matching -l app=web in namespace shop');
  });
});
