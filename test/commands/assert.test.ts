// `kubectl svc-trace assert` as a pipeline runs it: the built executable against the fake API server
// (test/support/apiserver.ts), which the tests change while the command waits — a pod becoming
// ready, a Service appearing — through its watch streams. Exit codes, stdout, stderr, and which
// requests were made: a watch, and no list polling while nothing changes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

import type { AssertionResult } from '../../src/assert/model.js';
import type { KubeObject } from '../../src/kube/types.js';
import { kubeconfigFor, scenarioObjects, startApiServer, type FakeApiServer, type RecordedRequest } from '../support/apiserver.js';
import { becomeReady } from './not-ready.js';
import { run, sandbox, type Result, type Sandbox } from './run.js';

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

interface Session {
  server: FakeApiServer;
  assertOn: (...args: string[]) => Promise<Result>;
}

async function against(scenario: string, body: (session: Session) => Promise<void>): Promise<void> {
  const server = await startApiServer(scenario);
  try {
    const kubeconfig = await box.kubeconfig(kubeconfigFor(server), `assert-${scenario}-${server.url.split(':').at(-1)}.yaml`);
    await body({ server, assertOn: (...args) => run(['assert', ...args], { home: box.home, kubeconfig }) });
  } finally {
    await server.close();
  }
}

const isWatch = (request: RecordedRequest) => request.query.watch === '1';
const watchesOf = (server: FakeApiServer) => server.requests.filter(isWatch).map((r) => `${r.path}?${r.query.fieldSelector ?? r.query.labelSelector}`).sort();
const serviceGets = (server: FakeApiServer, name = 'web') => server.requests.filter((r) => r.path === `/api/v1/namespaces/shop/services/${name}`).length;

// Until the command has made no request for `quietMs` (its reaction to the watch's first events is over).
async function quiet(server: FakeApiServer, quietMs = 600): Promise<void> {
  let count = -1;
  while (count !== server.requests.length) {
    count = server.requests.length;
    await sleep(quietMs);
  }
}

// stderr of a failed wait: progress lines, then `error:` and `hint:`.
function errorOf(result: Result): { error: string; hint: string; progress: string[] } {
  const lines = result.stderr.trimEnd().split('\n');
  const at = lines.findIndex((line) => line.startsWith('error: '));
  assert.ok(at >= 0 && lines[at + 1]?.startsWith('hint: ') && at + 2 === lines.length, `expected error: and hint: last on stderr, got:\n${result.stderr}`);
  return { error: lines[at]!.slice(7), hint: lines[at + 1]!.slice(6), progress: lines.slice(0, at) };
}

function junit(xml: string) {
  assert.equal(XMLValidator.validate(xml), true, xml);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' });
  return parser.parse(xml) as {
    testsuites: { tests: string; failures: string; testsuite: Array<{ name: string; failures: string; testcase: Array<{ name: string; failure?: { message: string; '#text': string } }> }> };
  };
}

describe('assert: check once', () => {
  test('every assertion holds: exit 0, PASSED, quiet stderr, one trace worth of GETs and no watch', async () => {
    await against('healthy', async ({ server, assertOn }) => {
      const result = await assertOn('web', '--min-ready', '2', '--no-errors');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, /^shop\/web {2}ok {2}2\/2 endpoints ready\n {2}ok {4}min-ready >= 2 {2}2 of 2 endpoints ready\n/);
      assert.match(result.stdout, /\nPASSED: every assertion holds for the Service/);
      assert.equal(server.requests.length, 6);
      assert.deepEqual(watchesOf(server), []);
    });
  });

  test('with --timeout, a Service that already holds passes at once, without a watch', async () => {
    await against('healthy', async ({ server, assertOn }) => {
      const result = await assertOn('svc/web', '--timeout', '30s');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.deepEqual(watchesOf(server), []);
    });
  });

  test('an assertion fails: exit 1, the not-ready pod and its reason, not just "failed"', async () => {
    await against('not-ready', async ({ server, assertOn }) => {
      const result = await assertOn('web', '--all-ready', '--max-not-ready', '0');
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stderr, '', 'a failed assertion is a result, not an error');
      assert.match(result.stdout, /^ {2}fail {2}all-ready +1 of 3 endpoints not ready$/m);
      assert.match(result.stdout, /^ +not ready: web-7d4b9c8f6-tq5vd 10\.244\.3\.4 on node-c: readiness probe of web failing$/m);
      assert.match(result.stdout, /^ {2}fail {2}max-not-ready <= 0 {2}1 of 3 endpoints not ready$/m);
      assert.match(result.stdout, /\nFAILED: 1 of 1 Service did not meet the assertions \(checked once after /);
      assert.deepEqual(watchesOf(server), []);
    });
  });

  test('-o json: the AssertionResult with expected, actual and reason for each assertion', async () => {
    await against('not-ready', async ({ assertOn }) => {
      const result = await assertOn('web', '--min-ready', '3', '--no-errors', '-o', 'json');
      assert.equal(result.code, 1);
      const output = JSON.parse(result.stdout) as AssertionResult;
      assert.equal(output.apiVersion, 'svc-trace/v1');
      assert.equal(output.kind, 'AssertionResult');
      assert.equal(output.passed, false);
      assert.equal(output.timedOut, false);
      const [web] = output.services;
      assert.deepEqual([web!.namespace, web!.name, web!.verdict, web!.passed, web!.found], ['shop', 'web', 'degraded', false, true]);
      assert.deepEqual(web!.endpoints, { ready: 2, notReady: 1, total: 3 });
      assert.deepEqual(
        web!.assertions.map(({ name, passed, expected, actual, reason }) => ({ name, passed, expected, actual, reason })),
        [
          { name: 'min-ready >= 3', passed: false, expected: 3, actual: 2, reason: '2 of 3 endpoints ready' },
          { name: 'no-errors', passed: true, expected: 0, actual: 0, reason: 'no error-level finding (verdict degraded)' },
        ],
      );
      assert.match(web!.assertions[0]!.details[0]!, /web-7d4b9c8f6-tq5vd .*: readiness probe of web failing/);
    });
  });

  test('a Service that does not exist: exit 4 at once, near names and the namespace that has it', async () => {
    await against('elsewhere', async ({ server, assertOn }) => {
      const result = await assertOn('web');
      assert.equal(result.code, 4, result.stderr);
      const { error, hint, progress } = errorOf(result);
      assert.deepEqual(progress, [], 'no wait, no progress');
      assert.equal(error, 'service "web" not found in namespace "shop"');
      assert.match(hint, /did you mean web-admin\?/);
      assert.match(hint, /a Service web exists in namespace staging \(use -n staging\)/);
      assert.match(result.stdout, /^shop\/web {2}not found\n {2}fail {2}min-ready >= 1 {2}service "web" not found/);
      assert.deepEqual(watchesOf(server), []);
    });
  });
});

describe('assert: waiting through the watch API', () => {
  test('passes when a pod becomes ready during the wait: a watch, no list polling, one progress line', async () => {
    await against('not-ready', async ({ server, assertOn }) => {
      const started = Date.now();
      const running = assertOn('web', '--all-ready', '--timeout', '25s');
      await server.watching('endpointslices');
      await quiet(server);
      assert.deepEqual(watchesOf(server), [
        '/api/v1/namespaces/shop/services?metadata.name=web',
        '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?kubernetes.io/service-name=web',
      ]);
      // Nothing changes for a while (a bookmark is no change): no request at all.
      const idle = server.requests.length;
      server.bookmark();
      await sleep(1500);
      assert.equal(server.requests.length, idle, `requests while nothing changed:\n${server.requests.slice(idle).map((r) => r.path).join('\n')}`);

      becomeReady(server);
      const result = await running;
      assert.equal(result.code, 0, result.stderr);
      assert.ok(Date.now() - started < 20_000, 'passed as soon as it held, long before the timeout');
      assert.equal(result.stderr, 'waiting for shop/web: 2/3 ready (all-ready)\n', 'one line per change, none for the pass');
      assert.match(result.stdout, /^shop\/web {2}ok {2}3\/3 endpoints ready\n {2}ok {4}all-ready {2}all 3 endpoints ready\n/);
      assert.ok(serviceGets(server) <= 3, `the Service was read ${serviceGets(server)} times: first look, after the watch started, after the change`);
      assert.equal(server.requests.filter(isWatch).length, 2, 'each watch opened once');
    });
  });

  test('a Service that appears during the wait is waited for and then passes', async () => {
    await against('elsewhere', async ({ server, assertOn }) => {
      const running = assertOn('web', '--min-ready', '2', '--timeout', '25s', '-o', 'json');
      await server.watching('services');
      await server.watching('endpointslices');
      const healthy = scenarioObjects('healthy');
      for (const pod of healthy.get('pods')!) server.apply('pods', pod);
      for (const slice of healthy.get('endpointslices')!) server.apply('endpointslices', slice);
      server.apply('services', healthy.get('services')!.find((s) => s.metadata.name === 'web')!);
      const result = await running;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /^waiting for shop\/web: not found yet\n/);
      const output = JSON.parse(result.stdout) as AssertionResult;
      assert.equal(output.passed, true);
      assert.deepEqual(output.services[0]!.endpoints, { ready: 2, notReady: 0, total: 2 });
    });
  });

  test('the timeout: exit 1 after waiting, with the reasons of what still does not hold', async () => {
    await against('not-ready', async ({ server, assertOn }) => {
      const started = Date.now();
      const result = await assertOn('web', '--min-ready', '3', '--timeout', '2s');
      const took = Date.now() - started;
      assert.equal(result.code, 1, result.stderr);
      assert.ok(took >= 2000, `waited ${took}ms`);
      assert.equal(result.stderr, 'waiting for shop/web: 2/3 ready (min-ready >= 3)\n');
      assert.match(result.stdout, /^ {2}fail {2}min-ready >= 3 {2}2 of 3 endpoints ready$/m);
      assert.match(result.stdout, /not ready: web-7d4b9c8f6-tq5vd 10\.244\.3\.4 on node-c: readiness probe of web failing/);
      assert.match(result.stdout, /\nFAILED: 1 of 1 Service did not meet the assertions \(timed out after 2s\)\n$/);
      assert.ok(serviceGets(server) <= 3, `no polling: the Service was read ${serviceGets(server)} times in 2s`);
    });
  });

  test('a Service that never appears: exit 4 at the timeout, with near names; the JUnit report is still written', async () => {
    await against('elsewhere', async ({ assertOn }) => {
      const result = await assertOn('web', '--timeout', '1s', '-o', 'junit');
      assert.equal(result.code, 4, result.stderr);
      const { error, hint, progress } = errorOf(result);
      assert.deepEqual(progress, ['waiting for shop/web: not found yet']);
      assert.equal(error, 'service "web" not found in namespace "shop"');
      assert.match(hint, /did you mean web-admin\?/);
      const report = junit(result.stdout);
      assert.equal(report.testsuites.testsuite[0]!.name, 'shop/web');
      assert.equal(report.testsuites.testsuite[0]!.testcase[0]!.failure!.message, 'service "web" not found in namespace "shop"');
    });
  });
});

describe('assert: several Services, -l', () => {
  test('-l: the Services are listed once by label, then each traced; -o json has them all', async () => {
    await against('list', async ({ server, assertOn }) => {
      const result = await assertOn('-l', 'app in (api,web)', '-o', 'json');
      assert.equal(result.code, 0, result.stderr);
      const output = JSON.parse(result.stdout) as AssertionResult;
      assert.deepEqual(output.selector, { namespace: 'shop', labelSelector: 'app in (api,web)' });
      assert.deepEqual(output.services.map((s) => `${s.namespace}/${s.name} ${s.passed}`), ['shop/api true', 'shop/web true']);
      const lists = server.requests.filter((r) => r.path === '/api/v1/namespaces/shop/services');
      assert.deepEqual(lists.map((r) => r.query.labelSelector), ['app in (api,web)']);
      assert.equal(serviceGets(server, 'api'), 1);
      assert.equal(serviceGets(server, 'web'), 1);
    });
  });

  test('-o junit with one failing Service: a testsuite each, the failure parsed with its reasons', async () => {
    await against('list', async ({ assertOn }) => {
      const result = await assertOn('web', 'cart', '--min-ready', '1', '--no-errors', '-o', 'junit');
      assert.equal(result.code, 1, result.stderr);
      const report = junit(result.stdout);
      assert.equal(report.testsuites.tests, '4');
      assert.deepEqual(report.testsuites.testsuite.map((s) => [s.name, s.failures]), [['shop/web', '0'], ['shop/cart', '2']]);
      const [minReady, noErrors] = report.testsuites.testsuite[1]!.testcase;
      assert.equal(minReady!.name, 'min-ready >= 1');
      assert.equal(noErrors!.name, 'no-errors');
      assert.match(noErrors!.failure!.message, /no-ready-endpoints/);
      assert.match(noErrors!.failure!['#text'], /^no-ready-endpoints: none of /m);
      assert.match(noErrors!.failure!['#text'], /^ {2}hint: /m);
    });
  });

  test('-l that matches no Service: exit 4, says which selector', async () => {
    await against('list', async ({ assertOn }) => {
      const result = await assertOn('-l', 'app=nothing');
      assert.equal(result.code, 4, result.stderr);
      const { error, hint } = errorOf(result);
      assert.equal(error, 'no Service in namespace "shop" matches -l app=nothing');
      assert.match(hint, /kubectl get services -n shop --show-labels/);
    });
  });

  test('-l with --timeout: the list of Services is watched too, and a Service labelled during the wait counts', async () => {
    await against('list', async ({ server, assertOn }) => {
      const running = assertOn('-l', 'tier=edge', '--timeout', '25s');
      await server.watching('services');
      await quiet(server);
      assert.ok(
        server.requests.some((r) => isWatch(r) && r.path === '/api/v1/namespaces/shop/services' && r.query.labelSelector === 'tier=edge'),
        'the Services are watched by label',
      );
      const web = structuredClone(scenarioObjects('list').get('services')!.find((s) => s.metadata.namespace === 'shop' && s.metadata.name === 'web')!);
      web.metadata.labels = { ...web.metadata.labels, tier: 'edge' };
      server.apply('services', web);
      const result = await running;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, 'waiting for a Service matching -l tier=edge in namespace shop\n');
      assert.match(result.stdout, /^shop\/web {2}ok /);
    });
  });
});

describe('assert: usage errors (exit 2, before any request)', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no SERVICE and no -l', [], /^error: no Service to assert on\nhint: .*-l app=web\n$/],
    ['-l together with SERVICE', ['web', '-l', 'app=web'], /^error: give Services by name or by -l, not both\n/],
    ['a negative --min-ready', ['web', '--min-ready=-1'], /^error: invalid value "-1" for --min-ready: a count cannot be negative\n/],
    ['an unknown -o', ['web', '-o', 'yaml'], /^error: unknown output format "yaml" for assert\nhint: use one of: text, json, junit, markdown\n$/],
    ['a --timeout without unit', ['web', '--timeout', '60'], /^error: invalid value "60" for --timeout: not a duration\n/],
  ];
  for (const [name, args, stderr] of cases) {
    test(name, async () => {
      const result = await run(['assert', ...args], { home: box.home });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, stderr);
    });
  }

  test('--help says what the default assertion is and lists the exit codes', async () => {
    const result = await run(['assert', '--help'], { home: box.home });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Without an assertion flag, the assertion is --min-ready 1/);
    assert.match(result.stdout, /--timeout=DURATION/);
    assert.match(result.stdout, /4 a Service \(or its namespace\) does not\s+exist/);
  });
});
