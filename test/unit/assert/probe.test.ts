// `assert --probe`: "every probed endpoint accepts a connection", from the snapshot's ProbeReport —
// a refusal fails it and names the pod with the kubelet's words; no permission passes with a note
// (never a failure); nothing ready to probe holds vacuously, while the default min-ready still fails.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../../src/analyze/trace.js';
import { parseAssertions } from '../../../src/assert/assertions.js';
import { evaluateService } from '../../../src/assert/evaluate.js';
import type { ProbeReport } from '../../../src/probe/model.js';
import { loadFixture, snapshotOf } from '../../support/snapshot.js';

const [podA, podB] = ['web-7d9c5b6f4d-7b2nj', 'web-7d9c5b6f4d-nfh7v'];
const refusal = `error forwarding port 8080 to pod ${podA}, uid : failed to connect to localhost:8080 inside namespace "${podA}": dial tcp4 127.0.0.1:8080: connect: connection refused`;

function evaluate(fixture: string, probes: ProbeReport['probes'], skipped: string[] = []) {
  const assertions = parseAssertions({ probe: true });
  const snapshot = { ...snapshotOf(loadFixture(fixture)), probe: { timeoutMs: 3000, limit: 10, probes, notProbed: [], skipped } };
  const evaluation = evaluateService(snapshot, analyze(snapshot), assertions);
  return { evaluation, probe: evaluation.assertions.find((a) => a.name === 'probe: every probed endpoint accepts')! };
}

describe('assert --probe', () => {
  test('--probe alone keeps the default min-ready 1 and adds the probe assertion', () => {
    assert.deepEqual(parseAssertions({ probe: true }), [{ kind: 'min-ready', count: 1 }, { kind: 'probe' }]);
    assert.deepEqual(parseAssertions({ probe: true, allReady: true }), [{ kind: 'all-ready' }, { kind: 'probe' }]);
  });

  test('every connection accepted: it holds', () => {
    const { evaluation, probe } = evaluate('healthy-web', [
      { pod: podA, servicePort: 'http', port: 8080, outcome: 'accepted', milliseconds: 3 },
      { pod: podB, servicePort: 'http', port: 8080, outcome: 'accepted', milliseconds: 4 },
    ]);
    assert.deepEqual([probe.passed, probe.actual, probe.reason], [true, '2/2 accepted', '2 connections accepted']);
    assert.equal(evaluation.passed, true);
  });

  test('a refusal fails it, naming the pod and what the kubelet said, with the finding\'s hint', () => {
    const { evaluation, probe } = evaluate('healthy-web', [
      { pod: podA, servicePort: 'http', port: 8080, outcome: 'refused', message: refusal },
      { pod: podB, servicePort: 'http', port: 8080, outcome: 'accepted', milliseconds: 4 },
    ]);
    assert.equal(probe.passed, false);
    assert.equal(probe.reason, '1 of 2 probed connections not accepted');
    assert.equal(probe.details[0], `refused: pod ${podA} port http (8080): ${refusal}`);
    assert.match(probe.details[1]!, /^port-not-listening: 1 of 2 probed pods refused/);
    assert.match(probe.details[2]!, /^ {2}hint: nothing listens on that port inside the pod/);
    assert.equal(evaluation.passed, false);
  });

  test('a timeout fails it too', () => {
    const { probe } = evaluate('healthy-web', [{ pod: podA, servicePort: 'http', port: 8080, outcome: 'timeout', message: 'no answer within 3000ms' }]);
    assert.equal(probe.passed, false);
    assert.equal(probe.details[0], `timeout: pod ${podA} port http (8080): no answer within 3000ms`);
  });

  test('no create on pods/portforward: it holds, and says that nothing was probed', () => {
    const message = `the API server answered 403: pods "${podA}" is forbidden`;
    const { probe } = evaluate('healthy-web', [{ pod: podA, servicePort: 'http', port: 8080, outcome: 'forbidden', message }]);
    assert.equal(probe.passed, true);
    assert.equal(probe.reason, `not probed: probe not permitted (it needs get and create on pods/portforward): ${message}`);
  });

  test('no ready endpoint: nothing to probe holds, the default min-ready fails the run', () => {
    const { evaluation, probe } = evaluate('no-ready-endpoints', [], ['no ready pod endpoint to probe']);
    assert.equal(probe.passed, true);
    assert.equal(probe.reason, 'nothing probed: no ready pod endpoint to probe');
    assert.equal(evaluation.passed, false);
  });
});
