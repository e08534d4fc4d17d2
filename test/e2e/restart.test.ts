// An API server restart under running commands, on the real control plane: `trace -w`,
// `assert --timeout 2m` and `forward` run while kube-apiserver is stopped and started again
// (test/cluster/apiserver.sh; etcd, the controllers and KWOK stay up). After it, -w redraws and
// follows new changes, the assert passes when its Service becomes ready, forward says it lost and
// regained its watch and serves new connections — and a download that was running through the
// restart either arrives whole or ends with a reset: never a clean end after part of it.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { listenLocal, type LocalServer } from '../support/local-server.js';
import { createNamespace, describeOnCluster, eventually, kubectl, run, waitForPods, type Cluster } from './support/cluster.js';
import { converse, podBehindNewConnection, startCommand, type RunningCommand } from './support/forward.js';
import { clusterPortForwardRule, deployment, manifests, service } from './support/manifests.js';

const runId = randomBytes(3).toString('hex');
const namespace = `e2e-restart-${runId}`;
const rule = `svc-trace-restart-${runId}`;
// A download long enough to be under way when the API server goes: 8 KiB every 50 ms.
const downloadBytes = 8 * 1024 * 1024;
const chunkBytes = 8 * 1024;

// A Deployment and its Service, both named NAME; its pods serve port 8080 (named http).
const app = (name: string, replicas: number) => manifests(deployment(name, replicas), service(name, { port: 8080 }));
// web serves throughout; late has no pod until after the restart.
const workload = manifests(app('web', 2), app('late', 0));

// Greets with `hello from app`, echoes, and on `download` sends downloadBytes, paced.
function startApp(): Promise<LocalServer> {
  return listenLocal((socket) => {
    socket.write('hello from app\n');
    socket.on('data', (chunk: Buffer) => {
      if (!chunk.toString('utf8').includes('download')) return void socket.write(chunk);
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer);
        socket.write(Buffer.alloc(chunkBytes, 0x61));
        sent += chunkBytes;
        if (sent >= downloadBytes) {
          clearInterval(timer);
          socket.end();
        }
      }, 50);
    });
  });
}

// The promise's value, or a failure that says what did not happen in time.
async function within<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${seconds}s`)), seconds * 1000)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

// How many traces -w has printed.
const traces = (command: RunningCommand) => command.output().match(/^Ready: /gm)?.length ?? 0;

async function apiserver(cluster: Cluster, action: 'stop' | 'start'): Promise<void> {
  const result = await run(cluster, 'bash', ['test/cluster/apiserver.sh', action]);
  if (result.code !== 0) throw new Error(`test/cluster/apiserver.sh ${action} failed: ${result.stderr}`);
}

describeOnCluster('an API server restart under -w, assert --timeout and forward', { timeout: 240_000 }, (cluster) => {
  let app: LocalServer | undefined;
  const commands: RunningCommand[] = [];
  let stopped = false;

  before(async () => {
    await createNamespace(cluster, namespace);
    await kubectl(cluster, ['apply', '-n', namespace, '-f', '-'], workload);
    await waitForPods(cluster, namespace);
    app = await startApp();
    await kubectl(cluster, ['apply', '-f', '-'], clusterPortForwardRule(rule, namespace, { 8080: app.port }));
  });

  after(async () => {
    if (stopped) await apiserver(cluster, 'start').catch((error: unknown) => console.error(error));
    for (const command of commands) {
      const code = await command.stop('SIGTERM');
      if (code !== 0 || process.env.SVC_TRACE_E2E_SHOW_OUTPUT) console.error(`${command.child.spawnargs.slice(1, 4).join(' ')} exited ${code}:\n${command.output()}`);
    }
    await run(cluster, 'kubectl', ['delete', 'clusterportforward', rule, '--ignore-not-found', '--wait=false']);
    await run(cluster, 'kubectl', ['delete', 'namespace', namespace, '--wait=false']);
    await app?.close();
  });

  test('-w redraws, assert passes, forward regains its watch and serves; an open download is whole or reset', async () => {
    const watch = startCommand('kubectl', ['svc-trace', 'web', '-w', '-o', 'text', '-n', namespace], cluster.env);
    const gate = startCommand('kubectl', ['svc-trace', 'assert', 'late', '--min-ready', '1', '--timeout', '2m', '-n', namespace], cluster.env);
    const forward = startCommand('kubectl', ['svc-trace', 'forward', 'web', ':8080', '-n', namespace], cluster.env);
    commands.push(watch, gate, forward);
    await watch.waitFor(/^Ready: +2\/2 endpoints$/m);
    await gate.waitFor(new RegExp(`waiting for ${namespace}/late`));
    const [, port] = await forward.waitFor(/^Forwarding from 127\.0\.0\.1:(\d+) -> svc\/web:http/m);
    const localPort = Number(port);
    await forward.waitFor(/\(2 ready\)/);

    // A download under way through the forward when the API server goes.
    const download = converse(localPort);
    await within(download.greeting, 20, 'the greeting through forward');
    let received = 0;
    let reset = false;
    let ended = false;
    download.socket.on('data', (chunk: Buffer) => (received += chunk.length));
    download.socket.on('error', (error: NodeJS.ErrnoException) => (reset ||= error.code === 'ECONNRESET'));
    download.socket.on('end', () => (ended = true));
    download.socket.write('download\n');
    await eventually(async () => received, (bytes) => bytes >= 4 * chunkBytes, 20);

    stopped = true;
    await apiserver(cluster, 'stop');
    await forward.waitFor(/^warning: lost the watch on the EndpointSlices of service web \(.+\); retrying$/m);
    await watch.waitFor(/^warning: lost the watch on (service web|the EndpointSlices of service web) \(.+\); retrying$/m);
    const tracesBefore = traces(watch);
    await apiserver(cluster, 'start');
    stopped = false;

    // forward: the watch is back, and a new connection is served.
    await forward.waitFor(/^watching the EndpointSlices of service web again$/m, 60);
    assert.equal(await podBehindNewConnection(localPort), 'app');

    // The download: the tunnel it ran through is gone with the API server, so it is cut — with a
    // reset, and forward names the reason; a clean end only if every byte came.
    await within(download.closed, 30, 'the end of the download that ran through the restart');
    const header = 'hello from app\n'.length;
    assert.ok(reset || received - header === downloadBytes, `the download ended after ${received - header} of ${downloadBytes} bytes without a reset`);
    if (received - header < downloadBytes) assert.equal(ended, false, 'a cut download got no clean end of stream');
    assert.match(forward.output(), /^port http: connection 1 closed by .*\): .+$/m, 'the cut connection was reported with its reason');

    // -w: traced again once back, and it follows changes made after the restart.
    await eventually(async () => traces(watch), (count) => count > tracesBefore, 60);
    assert.ok(traces(watch) > tracesBefore, `-w traced again after the restart:\n${watch.output()}`);
    await kubectl(cluster, ['scale', 'deployment', 'web', '-n', namespace, '--replicas=3']);
    await watch.waitFor(/^Ready: +3\/3 endpoints$/m, 60);
    await forward.waitFor(/\(3 ready\)/, 30);

    // assert: the Service becomes ready after the restart, within the 2 minutes.
    await kubectl(cluster, ['scale', 'deployment', 'late', '-n', namespace, '--replicas=1']);
    assert.equal(await within(gate.exited, 90, 'the end of assert'), 0, gate.output());
    assert.match(gate.output(), new RegExp(`^${namespace}/late {2}ok `, 'm'));
    assert.equal(forward.child.exitCode, null, 'forward is still running');
    assert.equal(watch.child.exitCode, null, '-w is still running');
  });
});
