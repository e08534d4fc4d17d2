// The single executable from the release archive, run with no Node on PATH: it is the same CLI as
// the npm package (help, offline list), answers as svc-explain under that name, and draws the tree
// and the live -w view on a terminal (a pseudo-terminal from script(1)).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { authProviderKubeconfig, kubeconfigFor, startApiServer, type FakeApiServer } from '../support/apiserver.js';
import { becomeReady } from '../commands/not-ready.js';
import { archiveMissing, archivePath, buildMissing, describeResult, run, version, whichOn } from './support.js';

const skip = archiveMissing() ?? false;
const script = whichOn(process.env.PATH ?? '', 'script');
const scriptMissing = script ? false : 'script(1) is not installed (package util-linux)';

let directory = '';
let home = '';

before(async () => {
  if (skip) return;
  directory = await mkdtemp(path.join(os.tmpdir(), 'svc-trace-executable-'));
  home = path.join(directory, 'home');
  await mkdir(home);
  const untar = spawnSync('tar', ['-xzf', archivePath, '-C', directory], { encoding: 'utf8' });
  assert.equal(untar.status, 0, untar.stderr);
});

after(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

// Only the archive's directory on PATH: no node, no npm.
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: directory, HOME: home, ...extra };
}

const trace = () => path.join(directory, 'kubectl-svc_trace');
const explain = () => path.join(directory, 'kubectl-svc_explain');

describe('the packaged executable', { skip }, () => {
  test('runs without Node on PATH and names its release and the Node inside it', async () => {
    assert.equal(whichOn(env().PATH!, 'node'), undefined);
    const result = await run(trace(), ['--version'], { env: env() });
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, new RegExp(`^svc-trace/${version.replaceAll('.', '\\.')} \\S+ node-v24\\.\\d+\\.\\d+\\n$`));
  });

  test('gives the same help as the npm package', { skip: buildMissing() ?? false }, async () => {
    for (const args of [['--help'], ['explain', '--help']]) {
      const packaged = await run(trace(), args, { env: env() });
      const npm = await run(process.execPath, [path.resolve('bin/kubectl-svc_trace.js'), ...args], { env: { PATH: path.dirname(process.execPath), HOME: home } });
      assert.equal(packaged.code, 0, describeResult(packaged));
      assert.equal(packaged.stdout, npm.stdout, `kubectl-svc_trace ${args.join(' ')}`);
    }
  });

  test('lists the example shop offline, as the README shows', async () => {
    const result = await run(trace(), ['-f', 'examples/shop', '-n', 'shop'], { env: env() });
    assert.equal(result.code, 0, describeResult(result));
    const readme = await readFile('README.md', 'utf8');
    const table = /`npm run example` runs[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(table, 'the README shows the example list');
    assert.equal(result.stdout, table);
  });

  test('kubectl-svc_explain is the same executable and answers as svc-explain', async () => {
    assert.deepEqual(await readFile(explain()), await readFile(trace()));
    const help = await run(explain(), ['--help'], { env: env() });
    assert.equal(help.code, 0, describeResult(help));
    assert.match(help.stdout, /^ {2}\$ kubectl svc-explain SERVICE \[flags\]$/m);
    const story = await run(explain(), ['cart', '-f', 'examples/shop', '-n', 'shop'], { env: env() });
    assert.equal(story.code, 0, describeResult(story));
    assert.match(story.stdout, /^cart is a ClusterIP Service in namespace shop/);
    assert.match(story.stdout, /\(target-port-missing\)/);
  });

  test('ignores NODE_OPTIONS, which belong to the user\'s own Node', async () => {
    const result = await run(trace(), ['--version'], { env: env({ NODE_OPTIONS: '--require ./no-such-preload.js' }) });
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, /^svc-trace\//);
  });

  test('runs a kubeconfig exec credential plugin (natively: the ExecCredential protocol, no client library)', async (t) => {
    const server = await startApiServer('healthy');
    t.after(() => server.close());
    const plugin = path.join(directory, 'credential.sh');
    const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: server.token } };
    await writeFile(plugin, `#!/bin/sh\nprintf '%s' '${JSON.stringify(credential)}'\n`, { mode: 0o755 });
    const kubeconfig = path.join(directory, `exec-${server.url.split(':').at(-1)}.yaml`);
    await writeFile(
      kubeconfig,
      kubeconfigFor(server).replace(
        /^( {4}user:\n) {6}token: .*$/m,
        `$1      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: ${plugin}\n        interactiveMode: Never`,
      ),
    );
    assert.doesNotMatch(await readFile(kubeconfig, 'utf8'), /token:/, 'the token comes from the plugin only');
    const result = await run(trace(), ['web', '-o', 'json'], { env: env({ KUBECONFIG: kubeconfig }) });
    assert.equal(result.code, 0, describeResult(result));
    assert.equal(JSON.parse(result.stdout).service.name, 'web');
  });

  test('logs in through a kubeconfig auth provider: the Kubernetes client, a separate asset, loaded on first use', async (t) => {
    const server = await startApiServer('healthy');
    t.after(() => server.close());
    const kubeconfig = path.join(directory, `auth-provider-${server.url.split(':').at(-1)}.yaml`);
    await writeFile(kubeconfig, authProviderKubeconfig(server));
    const result = await run(trace(), ['web', '-o', 'json'], { env: env({ KUBECONFIG: kubeconfig }) });
    assert.equal(result.code, 0, describeResult(result));
    assert.equal(JSON.parse(result.stdout).service.name, 'web');
  });

  test('a usage error is one line, a hint and exit 2', async () => {
    const result = await run(trace(), ['--no-such-flag'], { env: env() });
    assert.equal(result.code, 2, describeResult(result));
    assert.match(result.stderr, /^error: Nonexistent flag: --no-such-flag\nhint: see kubectl svc-trace --help\n$/);
  });
});

// Runs a command on a pseudo-terminal; `keys` are typed once `ready` matches the screen so far.
async function onTerminal(
  command: string,
  options: { env: Record<string, string>; ready?: RegExp; keys?: string; during?: (screen: () => string) => Promise<void>; timeoutMs?: number },
): Promise<{ code: number | null; screen: string }> {
  const child = spawn(script!, ['-qfec', command, '/dev/null'], { env: { TERM: 'xterm-256color', ...options.env }, stdio: 'pipe' });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve)).finally(() => clearTimeout(timer));
  if (options.ready) {
    while (!options.ready.test(screen) && child.exitCode === null) await sleep(50);
    await options.during?.(() => screen);
    child.stdin.write(options.keys ?? '');
  }
  child.stdin.end();
  return { code: await closed, screen };
}

const plain = (screen: string) => screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe('the packaged executable on a terminal', { skip: skip || scriptMissing }, () => {
  test('draws the trace as a tree by default', async () => {
    const { code, screen } = await onTerminal(`${trace()} cart -f examples/shop -n shop`, { env: env() });
    assert.equal(code, 1, `a broken Service exits 1\n${screen}`);
    const text = plain(screen);
    assert.match(text, /╭─+╮/);
    assert.match(text, /✖ backend {3}1 pod\(s\), no container port resolved/);
    assert.match(screen, /\x1b\[31m/, 'in colour on a terminal');
  });

  test('-w keeps the trace live through the watch API, redraws on a change and quits on q', async (t) => {
    const server = await startApiServer('not-ready');
    t.after(() => server.close());
    const kubeconfig = path.join(directory, `kubeconfig-${server.url.split(':').at(-1)}.yaml`);
    await writeFile(kubeconfig, kubeconfigFor(server));
    const { code, screen } = await onTerminal(`${trace()} web -w`, {
      env: env({ KUBECONFIG: kubeconfig }),
      ready: /watching shop\/web \(0 updates\)/,
      during: async (screenSoFar) => {
        await server.watching('endpointslices');
        becomeReady(server);
        const deadline = Date.now() + 20_000;
        while (!/3\/3 ready/.test(plain(screenSoFar())) && Date.now() < deadline) await sleep(50);
      },
      keys: 'q',
    });
    assert.equal(code, 0, `q quits cleanly\n${plain(screen)}`);
    const text = plain(screen);
    assert.match(text, /2\/3 ready/, 'the first trace');
    assert.match(text, /3\/3 ready/, 'redrawn after the pod became ready');
    assert.ok(server.requests.some((r) => r.query.watch === '1' || r.query.watch === 'true'), 'through the watch API');
  });
});
