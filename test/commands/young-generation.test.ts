// List mode on the npm install runs in a Node started with --max-semi-space-size=16, as the packaged
// executable does (README, List mode at scale): bin/launch.js replaces its process with one started
// with the flag. Observed from inside: node-starts.ts, preloaded, records each start's process id and
// options. A single trace starts once, so does list mode from manifests (-f); list mode of a cluster
// twice, in one process, the output and exit code unchanged; a flag the user set already is kept.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Trace from '../../commands/trace.js';
import { kubeconfigFor, startApiServer, type FakeApiServer } from '../support/apiserver.js';
import { run, sandbox, type Result, type Sandbox } from './run.js';

interface Start {
  pid: number;
  execArgv: string[];
}

const recorder = pathToFileURL(path.join(import.meta.dirname, 'node-starts.js')).href;
const flag = '--max-semi-space-size=16';
const launcher = (await import(pathToFileURL(path.resolve('bin', 'launch.js')).href)) as {
  valueFlags: Set<string>;
  listsCluster: (executable: string, argv: string[]) => boolean;
};

let box: Sandbox;
let server: FakeApiServer;
let kubeconfig: string;
before(async () => {
  box = await sandbox();
  server = await startApiServer('list');
  kubeconfig = await box.kubeconfig(kubeconfigFor(server));
});
after(async () => {
  await server.close();
  await box.remove();
});

let runs = 0;
// Runs kubectl-svc_trace (or svc_explain) with the recorder; `nodeOptions` adds to NODE_OPTIONS.
async function traced(args: string[], options: { executable?: 'trace' | 'explain'; nodeOptions?: string } = {}): Promise<{ result: Result; starts: Start[] }> {
  const file = path.join(box.home, `starts-${(runs += 1)}.jsonl`);
  const env = { NODE_OPTIONS: [`--import=${recorder}`, options.nodeOptions].filter(Boolean).join(' '), SVC_TRACE_NODE_STARTS: file };
  const result = await run(args, { home: box.home, kubeconfig, env, executable: options.executable });
  const starts = (await readFile(file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as Start);
  await rm(file);
  return { result, starts };
}

function assertRelaunched(starts: Start[]): void {
  assert.equal(starts.length, 2, JSON.stringify(starts));
  assert.equal(starts[1]!.pid, starts[0]!.pid, 'the same process, replaced (no second process to orphan)');
  assert.ok(!starts[0]!.execArgv.includes(flag));
  assert.deepEqual(starts[1]!.execArgv, [flag, ...starts[0]!.execArgv], 'started again with the flag and the options it had');
}

for (const args of [['-A'], ['-n', 'shop', '-o', 'json']]) {
  test(`kubectl svc-trace ${args.join(' ')} (list mode): Node started again with ${flag}; the same output as with the flag set by the user`, async () => {
    const relaunched = await traced(args);
    assertRelaunched(relaunched.starts);
    assert.equal(relaunched.result.code, 0, relaunched.result.stderr);
    assert.match(relaunched.result.stdout, args[0] === '-A' ? /^staging +web +ClusterIP/m : /"ServiceHealthList"/);
    const userFlag = await traced(args, { nodeOptions: flag });
    assert.equal(userFlag.starts.length, 1, 'a flag already set is kept: no second start');
    assert.deepEqual(relaunched.result, userFlag.result);
  });
}

test('list mode with --fail-on error: started again, and its exit code (1: a broken Service) is the command\'s', async () => {
  const { result, starts } = await traced(['-A', '--fail-on', 'error']);
  assertRelaunched(starts);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /^shop +cart +ClusterIP .* broken/m);
});

for (const [executable, args] of [
  ['trace', ['web', '-n', 'shop']],
  ['trace', ['-f', 'examples/shop', '-n', 'shop', 'cart']],
  ['trace', ['-n', 'shop', '-f', 'examples/shop', '--', 'cart']],
  ['trace', ['ingress/shop', '-f', 'examples/shop', '-n', 'shop']],
  ['trace', ['explain', 'web', '-n', 'shop']],
  ['explain', ['web', '-n', 'shop']],
  ['trace', ['-A', '--help']],
  ['trace', ['-f', 'examples/shop', '-n', 'shop']],
] as const) {
  test(`kubectl-svc_${executable} ${args.join(' ')}: not list mode of a cluster, Node starts once, without the flag`, async () => {
    const { result, starts } = await traced([...args], { executable });
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
    assert.equal(starts.length, 1, JSON.stringify(starts));
    assert.ok(!starts[0]!.execArgv.includes(flag));
  });
}

test('Ctrl-C while list mode waits for the API server: the one process, started again, dies of SIGINT as before', async () => {
  const hanging = await startApiServer('list', { fault: (request) => request.url!.includes('/services') });
  try {
    const file = path.join(box.home, 'starts-hanging.jsonl');
    const stop = new AbortController();
    const waitForRelaunch = setInterval(() => {
      readFile(file, 'utf8').then((text) => text.trimEnd().split('\n').length === 2 && stop.abort(), () => {});
    }, 50);
    const env = { NODE_OPTIONS: `--import=${recorder}`, SVC_TRACE_NODE_STARTS: file };
    const result = await run(['-A'], { home: box.home, kubeconfig: await box.kubeconfig(kubeconfigFor(hanging), 'hanging.yaml'), env, signal: stop.signal });
    clearInterval(waitForRelaunch);
    assertRelaunched((await readFile(file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as Start));
    assert.equal(result.code, null, `ended by the signal, not an exit code: ${result.stderr}`);
  } finally {
    await hanging.close();
  }
});

// The launcher reads argv before oclif is loaded: its list of flags that take a value must be the trace
// command's, or a SERVICE after such a flag's value would go unseen (or a value be taken for a SERVICE).
test('bin/launch.js knows every trace flag that takes a value, and no other', () => {
  const taking = Object.entries(Trace.flags)
    .filter(([, definition]) => definition.type === 'option')
    .flatMap(([name, definition]) => [`--${name}`, ...(definition.char ? [`-${definition.char}`] : [])]);
  assert.deepEqual([...launcher.valueFlags].sort(), taking.sort());
});

test('bin/launch.js: a flag\'s value is not SERVICE, `--` ends the flags, -f reads manifests', () => {
  assert.equal(launcher.listsCluster('trace', ['--namespace=shop', '-o', 'wide', '--']), true);
  assert.equal(launcher.listsCluster('trace', ['--context', 'kind', 'web']), false);
  assert.equal(launcher.listsCluster('trace', ['-n', 'shop', '--', 'web']), false);
  assert.equal(launcher.listsCluster('trace', ['-A', '--filename=k8s/']), false);
});
