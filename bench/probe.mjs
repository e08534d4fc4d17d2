#!/usr/bin/env node
// What `--probe` costs: `kubectl svc-trace web --probe` over ENDPOINTS ready pods against the plain
// `kubectl svc-trace web` on the same cluster, in paired, alternating runs (medians, and the median
// of the paired differences). Prints a Markdown table.
//
//   KUBECONFIG=... node bench/probe.mjs [ENDPOINTS] [PAIRS]
//
// Made for the local KWOK cluster of the test suite (npm run cluster:up): it creates a namespace
// with a Deployment of ENDPOINTS pods and a Service, starts a TCP server on 127.0.0.1 that plays
// the pods' app (it greets, which is how KWOK's forward shows the accept), points every pod's port
// at it with a KWOK ClusterPortForward, measures, and deletes it all. Needs the built project
// (npm run build: the objects and the plugin's install come from the end-to-end suite's support,
// test/e2e/support/) and kubectl on PATH (the cluster's own kubectl, from
// test/cluster/versions.env, comes first). Run through npm so that Node 24 is first on PATH:
// npm run bench:probe -- 10 15

import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { clusterPortForwardRule, deployment, manifests, service } from '../dist/test/e2e/support/manifests.js';
import { pluginEnvironment } from '../dist/test/e2e/support/plugin.js';

const run = promisify(execFile);

const [endpoints = '10', pairs = '15'] = process.argv.slice(2);
const repo = path.resolve(import.meta.dirname, '..');
const namespace = `bench-probe-${randomBytes(3).toString('hex')}`;
const rule = `svc-trace-bench-${namespace}`;

const env = pluginEnvironment(repo);

function kubectl(args, input) {
  const result = spawnSync('kubectl', args, { env, input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

// Wall milliseconds of one trace; the JSON says what the probe found. Not spawnSync: the app
// below lives in this process and must keep accepting while the trace runs.
async function trace(extra) {
  const started = process.hrtime.bigint();
  const { stdout } = await run('kubectl', ['svc-trace', 'web', '-n', namespace, '-o', 'json', ...extra], { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const backend = JSON.parse(stdout).hops.find((hop) => hop.kind === 'backend');
  return { ms, accepted: backend.backends.filter((b) => b.probe?.outcome === 'accepted').length, text: stdout };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const app = net.createServer((socket) => {
  socket.on('error', () => {});
  socket.end('hello\n');
});
await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
try {
  kubectl(['create', 'namespace', namespace]);
  kubectl(['apply', '-n', namespace, '-f', '-'], manifests(deployment('web', Number(endpoints)), service('web', { port: 80 })));
  kubectl(['apply', '-f', '-'], clusterPortForwardRule(rule, namespace, { 8080: app.address().port }));
  kubectl(['rollout', 'status', 'deployment/web', '-n', namespace, '--timeout=120s']);
  // Until every endpoint is ready and accepts (the rule reaches KWOK a moment after it is created).
  for (let i = 0; ; i++) {
    const first = await trace(['--probe', '--probe-limit', endpoints]);
    if (first.accepted === Number(endpoints)) break;
    if (i > 30) throw new Error(`not every one of ${endpoints} endpoints accepts the probe:\n${first.text}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await trace([]); // warm the page cache
  const plain = [];
  const probed = [];
  for (let i = 0; i < Number(pairs); i++) {
    plain.push((await trace([])).ms);
    const withProbe = await trace(['--probe', '--probe-limit', endpoints]);
    if (withProbe.accepted !== Number(endpoints)) throw new Error(`run ${i}: ${withProbe.accepted} of ${endpoints} accepted`);
    probed.push(withProbe.ms);
  }
  const extra = median(probed.map((ms, i) => ms - plain[i]));
  console.log(`| trace of a Service with ${endpoints} ready endpoints | median |`);
  console.log('|---|---|');
  console.log(`| \`kubectl svc-trace web\` | ${median(plain).toFixed(0)} ms |`);
  console.log(`| \`kubectl svc-trace web --probe\` (${endpoints} connections) | ${median(probed).toFixed(0)} ms |`);
  console.log(`| what --probe adds (median of the paired differences) | ${extra.toFixed(0)} ms (${(median(probed) / median(plain)).toFixed(2)}×) |`);
  console.log(`\n${pairs} paired runs; Node ${process.version}.`);
} finally {
  spawnSync('kubectl', ['delete', 'clusterportforward', rule, '--ignore-not-found'], { env });
  spawnSync('kubectl', ['delete', 'namespace', namespace, '--wait=false'], { env });
  app.close();
}
