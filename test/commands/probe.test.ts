// `--probe` through the built executables against the fake API server (test/support/apiserver.ts),
// which records every request, upgrades included, and refuses pods/portforward with 403 as RBAC
// does. Without --probe no port-forward request is ever made; with it, one per ready pod, and the
// 403 is a note ("probe not permitted"), never a failure.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubeconfigFor, startApiServer, type FakeApiServer } from '../support/apiserver.js';
import { errorLines, run, sandbox, type Result, type Sandbox } from './run.js';

let box: Sandbox;
let server: FakeApiServer;
let kubeconfig: string;
before(async () => {
  box = await sandbox();
  server = await startApiServer('healthy');
  kubeconfig = await box.kubeconfig(kubeconfigFor(server));
});
after(async () => {
  await server.close();
  await box.remove();
});

const trace = (...args: string[]) => run(args, { home: box.home, kubeconfig });
const explain = (...args: string[]) => run(args, { home: box.home, kubeconfig, executable: 'explain' });
const portForwards = () => server.requests.filter((r) => r.path.endsWith('/portforward')).map((r) => r.path).sort();
const fresh = async (command: () => Promise<Result>) => {
  server.requests.length = 0;
  return command();
};

describe('--probe on the command line', () => {
  test('without --probe: trace, explain and assert make no port-forward request at all', async () => {
    for (const command of [() => trace('web'), () => trace('web', '-o', 'json'), () => explain('web'), () => trace('assert', 'web')]) {
      const result = await fresh(command);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(server.requests.length > 0, 'the command reached the fake API server');
      assert.deepEqual(portForwards(), []);
    }
  });

  test('with --probe: one port-forward per ready pod; the 403 is a note on the backend hop, exit 0', async () => {
    const result = await fresh(() => trace('web', '--probe'));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(portForwards().length, 2, `one upgrade per ready pod: ${portForwards().join(', ')}`);
    assert.ok(portForwards().every((path) => /^\/api\/v1\/namespaces\/shop\/pods\/web-[a-z0-9-]+\/portforward$/.test(path)));
    assert.match(result.stdout, /^ {18}note: probe not permitted: the API server answered 403: pods "web-[a-z0-9-]+" is forbidden: User "[^"]+" cannot get resource "pods\/portforward" in API group "" in the namespace "shop" \(it needs get and create on pods\/portforward\)$/m);
    assert.match(result.stdout, /^Verdict: {2}ok$/m);
    assert.equal(result.stderr, '');
  });

  test('assert --probe without permission: passes, and says nothing was probed', async () => {
    const result = await fresh(() => trace('assert', 'web', '--probe'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /ok {4}probe: every probed endpoint accepts {2}not probed: probe not permitted/);
    assert.equal(portForwards().length, 2);
  });

  test('usage errors (exit 2) before any request: list mode, -f, -w, bad limits', async () => {
    for (const [args, message] of [
      [['--probe'], /^--probe probes the endpoints of one Service$/],
      [['web', '--probe', '-f', 'examples/shop'], /^--probe connects to live pods; it cannot be used with -f$/],
      [['web', '--probe', '-w'], /^--probe runs once; it cannot be used with --watch$/],
      [['web', '--probe', '--probe-limit', '0'], /^invalid value "0" for --probe-limit/],
      [['web', '--probe-timeout', '1s'], /^--probe-timeout needs --probe$/],
      [['assert', 'web', '--probe', '--probe-timeout', 'soon'], /^invalid value "soon" for --probe-timeout/],
    ] as const) {
      const result = await fresh(() => trace(...args));
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(errorLines(result).error, message);
      assert.deepEqual(server.requests, [], `${args.join(' ')} made no request`);
    }
  });
});
