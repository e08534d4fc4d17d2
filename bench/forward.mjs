#!/usr/bin/env node
// Connection set-up latency and throughput through `kubectl svc-trace forward` against
// `kubectl port-forward pod/X` to the same pod on the same cluster. Prints a Markdown table.
//
//   KUBECONFIG=... node bench/forward.mjs [CONNECTIONS] [MEBIBYTES] [ROUNDS]
//
// Made for the local KWOK cluster of the test suite (npm run cluster:up): it creates a namespace
// with a one-pod Deployment and a Service, starts a TCP server on 127.0.0.1 that plays the pod's
// app, points the pod's port at it with a KWOK ClusterPortForward, measures, and deletes it all.
// Needs the built project (npm run build: the objects and the plugin's install come from the
// end-to-end suite's support, test/e2e/support/; SVC_TRACE_BUILD=DIR runs the plugin of another
// build directory) and kubectl on PATH (the cluster's own kubectl, from test/cluster/versions.env,
// comes first).

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { clusterPortForwardRule, deployment, manifests, service } from '../dist/test/e2e/support/manifests.js';
import { pluginEnvironment } from '../dist/test/e2e/support/plugin.js';

const [connections = '50', mebibytes = '16', rounds = '3'] = process.argv.slice(2);
const repo = path.resolve(import.meta.dirname, '..');
const namespace = `bench-forward-${randomBytes(3).toString('hex')}`;
const rule = `svc-trace-bench-${namespace}`;

// The plugin on PATH, as npm installs it; a build elsewhere gets launchers that load it.
const env = pluginEnvironment(repo, process.env.SVC_TRACE_BUILD ? path.resolve(process.env.SVC_TRACE_BUILD) : undefined);

function kubectl(args, input) {
  const result = spawnSync('kubectl', args, { env, input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

// The pod's app: greets, then on `send N` sends N bytes and closes, on `sink N` reads N bytes and answers `ok`.
function startApp() {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.write('hello\n');
    let command = '';
    let sinking = -1;
    socket.on('data', (chunk) => {
      if (sinking >= 0) {
        sinking -= chunk.length;
        if (sinking <= 0) socket.end('ok\n');
        return;
      }
      command += chunk.toString('latin1');
      const newline = command.indexOf('\n');
      if (newline === -1) return;
      const [verb, size] = command.slice(0, newline).split(' ');
      const rest = Buffer.from(command.slice(newline + 1), 'latin1');
      if (verb === 'send') {
        const block = Buffer.alloc(64 * 1024, 120);
        let left = Number(size);
        const pump = () => {
          while (left > 0) {
            const piece = block.subarray(0, Math.min(block.length, left));
            left -= piece.length;
            if (!socket.write(piece)) return void socket.once('drain', pump);
          }
          socket.end();
        };
        pump();
      } else {
        sinking = Number(size) - rest.length;
        if (sinking <= 0) socket.end('ok\n');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// A long-running forward; resolves with its local port once it prints the Forwarding line.
function startForward(args) {
  const child = spawn('kubectl', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve({ child, port: Number(match[1]) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${output}`)));
  });
}

// Milliseconds from connect to the app's greeting.
function setUp(port) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const socket = net.connect(port, '127.0.0.1');
    socket.once('data', () => {
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

// MiB/s for `bytes` from the app (download) or to it (upload), greeting excluded. Done when the
// last byte (or the app's `ok`) arrives: KWOK passes no end of stream on, so no close is awaited.
function transfer(port, direction, bytes) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let started;
    let received = 0;
    let greeted = false;
    const done = () => {
      resolve(bytes / 1024 / 1024 / (Number(process.hrtime.bigint() - started) / 1e9));
      socket.destroy();
    };
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`the ${direction} closed early: ${received} bytes`)));
    socket.on('data', (chunk) => {
      if (!greeted) {
        greeted = true;
        started = process.hrtime.bigint();
        chunk = chunk.subarray(chunk.indexOf(10) + 1);
        if (direction === 'download') socket.write(`send ${bytes}\n`);
        else {
          socket.write(`sink ${bytes}\n`);
          const block = Buffer.alloc(64 * 1024, 120);
          let left = bytes;
          const pump = () => {
            while (left > 0) {
              const piece = block.subarray(0, Math.min(block.length, left));
              left -= piece.length;
              if (!socket.write(piece)) return void socket.once('drain', pump);
            }
          };
          pump();
        }
      }
      received += chunk.length;
      if (direction === 'download' ? received >= bytes : chunk.includes('ok\n')) done();
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function measure(port) {
  const first = await setUp(port);
  const latencies = [];
  for (let i = 0; i < Number(connections); i++) latencies.push(await setUp(port));
  const bytes = Number(mebibytes) * 1024 * 1024;
  const downloads = [];
  const uploads = [];
  for (let i = 0; i < Number(rounds); i++) {
    downloads.push(await transfer(port, 'download', bytes));
    uploads.push(await transfer(port, 'upload', bytes));
  }
  return { first, setUp: median(latencies), download: median(downloads), upload: median(uploads) };
}

const app = await startApp();
const appPort = app.address().port;
const forwards = [];
try {
  kubectl(['create', 'namespace', namespace]);
  for (let i = 0; i < 60 && spawnSync('kubectl', ['get', 'serviceaccount', 'default', '-n', namespace], { env }).status !== 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // The pod's port 8080 (named http) is led to the app; the Service serves it on port 9000.
  kubectl(['apply', '-n', namespace, '-f', '-'], manifests(deployment('bench', 1), service('bench', { port: 9000 }), clusterPortForwardRule(rule, namespace, { 8080: appPort })));
  kubectl(['wait', '--for=condition=Ready', 'pods', '--all', '-n', namespace, '--timeout=90s']);
  const pod = kubectl(['get', 'pods', '-n', namespace, '-o', 'jsonpath={.items[0].metadata.name}']).trim();

  const ours = await startForward(['svc-trace', 'forward', 'bench', ':9000', '-n', namespace]);
  forwards.push(ours.child);
  const theirs = await startForward(['port-forward', `pod/${pod}`, ':8080', '-n', namespace]);
  forwards.push(theirs.child);
  // Alternate, so that neither side always runs on a warmer machine.
  const a = [];
  const b = [];
  for (let i = 0; i < 2; i++) {
    a.push(await measure(ours.port));
    b.push(await measure(theirs.port));
  }
  const pick = (list, key) => median(list.map((r) => r[key]));
  const rows = [
    ['first connection (opens the tunnel)', 'first', 'ms'],
    [`connection set-up, median of ${connections}`, 'setUp', 'ms'],
    [`download ${mebibytes} MiB (pod → local), median of ${rounds * 2}`, 'download', 'MiB/s'],
    [`upload ${mebibytes} MiB (local → pod), median of ${rounds * 2}`, 'upload', 'MiB/s'],
  ];
  const version = kubectl(['version', '--client', '-o', 'json']);
  console.log('| measure | svc-trace forward | kubectl port-forward pod/X | ratio |');
  console.log('|---|---|---|---|');
  for (const [label, key, unit] of rows) {
    const ourValue = pick(a, key);
    const theirValue = pick(b, key);
    const digits = unit === 'ms' ? 1 : 0;
    console.log(`| ${label} | ${ourValue.toFixed(digits)} ${unit} | ${theirValue.toFixed(digits)} ${unit} | ${(ourValue / theirValue).toFixed(2)}× |`);
  }
  console.log(`\nkubectl ${JSON.parse(version).clientVersion.gitVersion}, Node ${process.version}; one pod, its port led by KWOK to a server on 127.0.0.1.`);
} finally {
  for (const child of forwards) child.kill('SIGTERM');
  spawnSync('kubectl', ['delete', 'clusterportforward', rule, '--ignore-not-found', '--wait=false'], { env });
  spawnSync('kubectl', ['delete', 'namespace', namespace, '--wait=false'], { env });
  app.close();
}
process.exit(0);
