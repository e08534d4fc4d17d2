// Assertions against traces of API-shaped fixtures (test/fixtures/cluster): what holds, what does
// not, and — when it does not — the reasons a pipeline log must show: the endpoints that are not
// ready with their pods' reasons, and the error findings with their hints.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import { parseAssertions, portOf, type AssertionFlags } from '../../../src/assert/assertions.js';
import { evaluateMissingService, evaluateService } from '../../../src/assert/evaluate.js';
import type { AssertionOutcome, ServiceEvaluation } from '../../../src/assert/model.js';
import { assertionResult } from '../../../src/assert/result.js';
import { notFoundError } from '../../../src/errors.js';
import { loadFixture, snapshotOf } from '../../support/snapshot.js';

function evaluate(fixture: string, flags: AssertionFlags = {}): ServiceEvaluation {
  const assertions = parseAssertions(flags);
  const snapshot = snapshotOf(loadFixture(fixture));
  return evaluateService(snapshot, analyze(snapshot, { port: portOf(assertions) }), assertions);
}

function outcome(evaluation: ServiceEvaluation, name: string): AssertionOutcome {
  const found = evaluation.assertions.find((o) => o.name === name);
  assert.ok(found, `no outcome ${name} in ${evaluation.assertions.map((o) => o.name).join(', ')}`);
  return found;
}

describe('readiness', () => {
  test('healthy: the default assertion (one ready endpoint) holds, and says how many are ready', () => {
    const evaluation = evaluate('healthy-web');
    assert.equal(evaluation.passed, true);
    assert.equal(evaluation.verdict, 'ok');
    assert.deepEqual(evaluation.endpoints, { ready: 2, notReady: 0, total: 2 });
    assert.deepEqual(evaluation.assertions, [
      { name: 'min-ready >= 1', passed: true, expected: 1, actual: 1 + 1, reason: '2 of 2 endpoints ready', details: [] },
    ]);
  });

  test('--min-ready 3 with one ready: fails, names each not-ready pod with its address, node and reason', () => {
    const min = outcome(evaluate('readiness-failing', { minReady: '3' }), 'min-ready >= 3');
    assert.equal(min.passed, false);
    assert.equal(min.expected, 3);
    assert.equal(min.actual, 1);
    assert.equal(min.reason, '1 of 3 endpoints ready');
    assert.equal(min.details.length, 2);
    assert.match(min.details[0]!, /^not ready: web-7d9c5b6f4d-7b2nj 10\.244\.\d+\.\d+ on \S+: readiness probe of web failing$/);
    assert.match(min.details[1]!, /^not ready: web-7d9c5b6f4d-tl7bw .*: container web CrashLoopBackOff$/);
  });

  test('more ready endpoints asked for than backends exist: says so', () => {
    const min = outcome(evaluate('healthy-web', { minReady: '3' }), 'min-ready >= 3');
    assert.equal(min.passed, false);
    assert.deepEqual(min.details, ['only 2 backends in all: 3 must be ready (scale the workload?)']);
  });

  test('a selected pod with no endpoint yet (Unschedulable, no IP) counts as not ready, with its reason', () => {
    const evaluation = evaluate('no-ready-endpoints', { allReady: true });
    assert.deepEqual(evaluation.endpoints, { ready: 0, notReady: 3, total: 3 });
    const all = outcome(evaluation, 'all-ready');
    assert.equal(all.passed, false);
    assert.equal(all.actual, '0/3 ready');
    assert.equal(all.reason, '3 of 3 endpoints not ready');
    assert.ok(all.details.includes('not ready: web-7d9c5b6f4d-fpsps (no endpoint): Pending (Unschedulable)'), all.details.join('\n'));
    assert.ok(all.details.some((line) => /^not ready: web-7d9c5b6f4d-7b2nj .*: Pending \(ImagePullBackOff\)$/.test(line)));
  });

  test('--all-ready during a rollout: the terminating old pod is leaving and does not count', () => {
    const evaluation = evaluate('rollout-terminating', { allReady: true });
    assert.deepEqual(evaluation.endpoints, { ready: 2, notReady: 0, total: 2 });
    assert.equal(outcome(evaluation, 'all-ready').passed, true);
    assert.equal(outcome(evaluation, 'all-ready').reason, 'all 2 endpoints ready');
  });

  test('dual-stack: a pod listed in an IPv4 and an IPv6 slice is one endpoint', () => {
    assert.deepEqual(evaluate('dual-stack', { minReady: '2' }).endpoints, { ready: 2, notReady: 0, total: 2 });
    assert.equal(evaluate('dual-stack', { minReady: '3' }).passed, false);
  });

  test('--max-not-ready: holds up to the limit', () => {
    assert.equal(outcome(evaluate('readiness-failing', { maxNotReady: '2' }), 'max-not-ready <= 2').passed, true);
    const strict = outcome(evaluate('readiness-failing', { maxNotReady: '1' }), 'max-not-ready <= 1');
    assert.equal(strict.passed, false);
    assert.equal(strict.actual, 2);
    assert.equal(strict.reason, '2 of 3 endpoints not ready');
  });

  test('--all-ready with no endpoints at all does not hold', () => {
    const all = outcome(evaluate('selectorless-no-endpoints', { allReady: true }), 'all-ready');
    assert.equal(all.passed, false);
    assert.equal(all.reason, 'no endpoints: nothing is ready');
    assert.match(all.details.join('\n'), /no-selector-no-endpoints: the Service has no selector/);
  });

  test('a selector that matches no pod: the readiness failure carries the finding and its near-miss hint', () => {
    const min = outcome(evaluate('selector-typo'), 'min-ready >= 1');
    assert.equal(min.passed, false);
    assert.equal(min.reason, 'no endpoints');
    assert.equal(min.details[0], 'only 0 backends in all: 1 must be ready (scale the workload?)');
    assert.match(min.details[1]!, /^selector-matches-no-pods: selector app=web,tier=frontend matches no pod in namespace shop$/);
    assert.match(min.details[2]!, /^ {2}hint: closest pods: Deployment\/web has tier=front \(selector wants frontend\)/);
  });

  test('an ExternalName Service has no endpoints: min-ready fails, --type ExternalName holds', () => {
    assert.equal(evaluate('externalname').passed, false);
    assert.equal(evaluate('externalname', { type: 'ExternalName' }).passed, true);
  });
});

describe('--port', () => {
  test('a port of the Service, by name or number: holds', () => {
    const byName = evaluate('healthy-web', { port: 'metrics' });
    assert.equal(byName.passed, true);
    assert.equal(outcome(byName, 'port metrics').reason, 'the Service has port metrics (9090/TCP)');
    assert.equal(outcome(evaluate('healthy-web', { port: '80' }), 'port 80').actual, 'http');
  });

  test('a port the Service does not have: fails and lists its ports; nothing is ready on it', () => {
    const evaluation = evaluate('healthy-web', { port: 'grpc' });
    const port = outcome(evaluation, 'port grpc');
    assert.equal(port.passed, false);
    assert.equal(port.actual, 'http (80/TCP), metrics (9090/TCP)');
    assert.deepEqual(port.details, ['port-not-found: the Service has no port grpc', '  hint: its ports are http (80), metrics (9090)']);
    assert.equal(outcome(evaluation, 'min-ready >= 1').reason, 'no endpoints on port grpc');
  });

  test('counts only the endpoints that serve the port: an old pod without the named port is not ready on it', () => {
    assert.equal(evaluate('named-port-partial-rollout', { allReady: true }).passed, true, 'every endpoint is ready');
    const evaluation = evaluate('named-port-partial-rollout', { port: 'http', allReady: true });
    assert.deepEqual(evaluation.endpoints, { ready: 2, notReady: 1, total: 3 });
    assert.deepEqual(outcome(evaluation, 'all-ready').details, ['not ready: web-7d9c5b6f4d-7b2nj (no endpoint): no endpoint for port http']);
  });

  test('a named targetPort no pod has: no endpoint on the port, and the finding says why', () => {
    const min = outcome(evaluate('named-port-missing', { port: 'http' }), 'min-ready >= 1');
    assert.equal(min.passed, false);
    assert.equal(min.reason, '0 of 2 endpoints ready on port http');
    assert.ok(min.details.some((line) => line.startsWith('target-port-missing: targetPort "http" of port http is not a container port')));
  });
});

describe('--type and --no-errors', () => {
  test('--type: the Service type, compared exactly', () => {
    assert.equal(evaluate('nodeport', { type: 'NodePort' }).passed, true);
    const type = outcome(evaluate('nodeport', { type: 'LoadBalancer' }), 'type == LoadBalancer');
    assert.equal(type.passed, false);
    assert.equal(type.actual, 'NodePort');
    assert.equal(type.reason, 'the Service is of type NodePort, not LoadBalancer');
  });

  test('--no-errors: an error finding fails it, with id, message and hint', () => {
    const noErrors = outcome(evaluate('loadbalancer-pending', { noErrors: true }), 'no-errors');
    assert.equal(noErrors.passed, false);
    assert.equal(noErrors.actual, 1);
    assert.equal(noErrors.reason, '1 error finding: loadbalancer-pending');
    assert.match(noErrors.details[0]!, /^loadbalancer-pending: /);
    assert.match(noErrors.details[1]!, /^ {2}hint: /);
  });

  test('--no-errors: warnings are not errors (a degraded Service passes)', () => {
    const evaluation = evaluate('readiness-failing', { noErrors: true });
    assert.equal(evaluation.verdict, 'degraded');
    assert.equal(outcome(evaluation, 'no-errors').passed, true);
    assert.equal(outcome(evaluation, 'no-errors').reason, 'no error-level finding (verdict degraded)');
  });
});

describe('a Service that does not exist', () => {
  test('every assertion fails with the not-found message and the near-name hint', () => {
    const error = notFoundError('service "wbe" not found in namespace "shop"', 'did you mean web?');
    const evaluation = evaluateMissingService({ namespace: 'shop', name: 'wbe' }, error, parseAssertions({ minReady: '2', noErrors: true }));
    assert.equal(evaluation.found, false);
    assert.equal(evaluation.verdict, null);
    assert.equal(evaluation.passed, false);
    assert.deepEqual(
      evaluation.assertions.map((o) => [o.name, o.passed, o.actual, o.reason, o.details]),
      [
        ['min-ready >= 2', false, 'not found', 'service "wbe" not found in namespace "shop"', ['hint: did you mean web?']],
        ['no-errors', false, 'not found', 'service "wbe" not found in namespace "shop"', ['hint: did you mean web?']],
      ],
    );
  });
});

describe('the result', () => {
  const timing = { elapsedSeconds: 12.3456, timeoutSeconds: 12, timedOut: true, passingSince: new Map([['shop/web', 4.2]]) };

  test('passes only when every Service passes; each Service says when it began to hold', () => {
    const web = evaluate('healthy-web');
    const failing = { ...evaluate('readiness-failing', { minReady: '3' }), name: 'api' };
    const result = assertionResult([web, failing], timing);
    assert.equal(result.passed, false);
    assert.equal(result.timedOut, true);
    assert.deepEqual(result.services.map((s) => [s.name, s.passed, s.elapsedSeconds]), [['web', true, 4.2], ['api', false, 12.346]]);
    assert.equal(assertionResult([web], { ...timing, timedOut: false }).passed, true);
  });

  test('a selector that selects nothing is no pass', () => {
    const result = assertionResult([], timing, { namespace: 'shop', labelSelector: 'app=none' });
    assert.equal(result.passed, false);
    assert.deepEqual(result.selector, { namespace: 'shop', labelSelector: 'app=none' });
  });
});
