// `kubectl svc-trace assert` on the real control plane, run through the real kubectl as a pipeline
// runs it: it waits through the watch API while a Deployment scales up, and passes once the new
// replicas are ready endpoints — before its timeout, not at once.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describeOnCluster, kubectl, run } from './support/cluster.js';
import { deployment, manifests, service } from './support/manifests.js';

const namespace = `e2e-assert-${randomBytes(3).toString('hex')}`;

const workload = manifests(deployment('web', 1), service('web', { port: 80 }));

describeOnCluster('assert on a real control plane', {}, (cluster) => {
  const assertOn = (...args: string[]) => run(cluster, 'kubectl', ['svc-trace', 'assert', 'web', '-n', namespace, ...args]);

  before(async () => {
    await kubectl(cluster, ['create', 'namespace', namespace]);
    await kubectl(cluster, ['apply', '-n', namespace, '-f', '-'], workload);
  });

  after(async () => {
    await run(cluster, 'kubectl', ['delete', 'namespace', namespace, '--wait=false']);
  });

  test('waits for the first replica of a fresh Deployment (the default assertion)', async () => {
    const result = await assertOn('--timeout', '60s');
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^ {2}ok {4}min-ready >= 1 {2}1 of 1 endpoint ready$/m);
  });

  test('--min-ready 3 waits while the Deployment scales from 1 to 3, then passes before the timeout', async () => {
    const startedAt = Date.now();
    let finishedAt: number | undefined;
    const waiting = assertOn('--min-ready', '3', '--timeout', '60s').finally(() => (finishedAt = Date.now()));
    // Long enough for the assert to have looked once and opened its watches.
    await sleep(3000);
    assert.equal(finishedAt, undefined, 'the assert is still waiting before the scale');
    await kubectl(cluster, ['scale', 'deployment', 'web', '-n', namespace, '--replicas=3']);
    const scaledAt = Date.now();
    const result = await waiting;
    const seconds = (finishedAt! - startedAt) / 1000;
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.ok(seconds > 1, `it waited: ${seconds}s`);
    assert.ok(seconds < 60, `it did not time out: ${seconds}s`);
    assert.ok(finishedAt! >= scaledAt, 'it passed only after the scale');
    assert.match(result.stderr, new RegExp(`^waiting for ${namespace}/web: 1/1 ready \\(min-ready >= 3\\)$`, 'm'));
    assert.match(result.stdout, /^ {2}ok {4}min-ready >= 3 {2}3 of 3 endpoints ready$/m);
    assert.match(result.stdout, /^PASSED: /m);
  });

  test('the timeout: exit 1 after it, and a JUnit report that says how many are ready', async () => {
    const startedAt = Date.now();
    const result = await assertOn('--min-ready', '5', '--no-errors', '--timeout', '3s', '-o', 'junit');
    assert.equal(result.code, 1, result.stderr);
    assert.ok(Date.now() - startedAt >= 3000, 'waited the whole timeout');
    assert.equal(XMLValidator.validate(result.stdout), true, result.stdout);
    const report = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(result.stdout) as {
      testsuites: { testsuite: { name: string; failures: string; testcase: Array<{ name: string; failure?: { message: string; '#text': string } }> } };
    };
    const suite = report.testsuites.testsuite;
    assert.equal(suite.name, `${namespace}/web`);
    assert.equal(suite.failures, '1');
    assert.equal(suite.testcase[0]!.name, 'min-ready >= 5');
    assert.equal(suite.testcase[0]!.failure!.message, '3 of 3 endpoints ready');
    assert.match(suite.testcase[0]!.failure!['#text'], /only 3 backends in all: 5 must be ready/);
    assert.equal(suite.testcase[1]!.name, 'no-errors');
    assert.equal(suite.testcase[1]!.failure, undefined);
  });
});
