#!/usr/bin/env node
// What an exec credential plugin (how EKS, GKE and AKS log in) costs a trace: the same trace with a
// bearer token and with a plugin that prints that token, against the fake API server of the command
// tests on 127.0.0.1 (no cluster needed). Paired, alternating runs; medians of wall time, CPU time
// and peak RSS from /usr/bin/time; the plugin's own run time measured alone. Prints a Markdown table.
//
//   npm run bench:exec -- [RUNS] [EXECUTABLE]
//
// EXECUTABLE defaults to bin/kubectl-svc_trace.js (the npm install); pass the packaged executable
// (dist-release/.../kubectl-svc_trace) or another checkout's bin/kubectl-svc_trace.js to compare.

import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = path.resolve(import.meta.dirname, '..');
const [runs = '15', executableArgument] = process.argv.slice(2);
const executable = path.resolve(executableArgument ?? path.join(repo, 'bin', 'kubectl-svc_trace.js'));
const command = executable.endsWith('.js') ? [process.execPath, executable] : [executable];

process.chdir(repo); // the fake API server reads test/fixtures/apiserver/ from here
const { startApiServer, kubeconfigFor } = await import(pathToFileURL(path.join(repo, 'dist/test/support/apiserver.js')).href);
const server = await startApiServer('healthy');
const scratch = mkdtempSync(path.join(tmpdir(), 'svc-trace-bench-exec-'));

const plugin = path.join(scratch, 'credential-plugin.sh');
const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: server.token } });
writeFileSync(plugin, `#!/bin/sh\nprintf '%s' '${credential}'\n`);
chmodSync(plugin, 0o755);

const tokenKubeconfig = path.join(scratch, 'token.yaml');
writeFileSync(tokenKubeconfig, kubeconfigFor(server));
const execKubeconfig = path.join(scratch, 'exec.yaml');
writeFileSync(
  execKubeconfig,
  kubeconfigFor(server).replace(
    /( {4}user:\n) {6}token: .*\n/,
    `$1      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: ${plugin}\n        interactiveMode: Never\n`,
  ),
);

// One run: wall and CPU milliseconds, peak RSS in MiB. Asynchronous: this process serves the API.
function measure(args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      const [user, system, rss] = stderr.trim().split('\n').at(-1).split(' ').map(Number);
      resolve({ ms, cpu: (user + system) * 1000, rss: rss / 1024 });
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const trace = [...command, 'web', '-n', 'shop', '-o', 'json'];
const token = [];
const exec = [];
const alone = [];
await measure(trace, { KUBECONFIG: tokenKubeconfig }); // warm the page cache
await measure(trace, { KUBECONFIG: execKubeconfig });
for (let i = 0; i < Number(runs); i++) {
  // Alternate which goes first, so that neither always runs on a warmer machine.
  const order = i % 2 === 0 ? [[token, tokenKubeconfig], [exec, execKubeconfig]] : [[exec, execKubeconfig], [token, tokenKubeconfig]];
  for (const [list, kubeconfig] of order) list.push(await measure(trace, { KUBECONFIG: kubeconfig }));
  alone.push(await measure([plugin]));
}
await server.close();

const of = (list, key) => median(list.map((run) => run[key]));
console.log('| trace one Service | wall median | CPU median | peak RSS |');
console.log('|---|---|---|---|');
console.log(`| bearer token | ${of(token, 'ms').toFixed(0)} ms | ${of(token, 'cpu').toFixed(0)} ms | ${of(token, 'rss').toFixed(0)} MiB |`);
console.log(`| exec credential plugin | ${of(exec, 'ms').toFixed(0)} ms | ${of(exec, 'cpu').toFixed(0)} ms | ${of(exec, 'rss').toFixed(0)} MiB |`);
console.log(`| the plugin alone | ${of(alone, 'ms').toFixed(0)} ms | ${of(alone, 'cpu').toFixed(0)} ms | ${of(alone, 'rss').toFixed(0)} MiB |`);
const overhead = of(exec, 'ms') - of(token, 'ms') - of(alone, 'ms');
console.log(`\nexec − token − plugin alone: ${overhead.toFixed(0)} ms wall. ${runs} paired runs; ${executable.startsWith(repo) ? path.relative(repo, executable) : 'the executable given'}; Node ${process.version}.`);
