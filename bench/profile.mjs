#!/usr/bin/env node
// Where a command's time goes: runs it under V8's sampling profiler (--cpu-prof) and sums the
// samples' self time by what ran — process start and Node's internals, module loading, each
// package, our fetch / analysis / rendering code, JSON, garbage collection, and idle (waiting for
// the API server). Prints a Markdown table; the .cpuprofile stays for Chrome DevTools.
//
//   node bench/profile.mjs [--bundle FILE] [--runs N] -- ARGS...
//
// Without --bundle: the npm install (bin/kubectl-svc_trace.js of this checkout, or of the checkout
// SVC_TRACE_REPO names), which runs the unminified bundle dist/svc-trace.cjs: each sample is named
// by the module it ran in (esbuild writes each module's path above it). With --bundle FILE: that
// bundle run directly — the packaged executable takes no Node flags, so it is profiled through a
// bundle like its own (the single executable's is minified, one line: build an unminified one with
// bundle() of scripts/package/bundle.mjs, minify: false). --debug prints the requests' timings.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: flags, positionals } = parseArgs({
  options: { bundle: { type: 'string' }, runs: { type: 'string', default: '5' }, node: { type: 'string' } },
  allowPositionals: true,
});
const repository = path.resolve(process.env.SVC_TRACE_REPO ?? path.join(import.meta.dirname, '..'));
const node = flags.node ?? process.execPath;
const script = flags.bundle ? path.resolve(flags.bundle) : path.join(repository, 'bin', 'kubectl-svc_trace.js');

// The module a line of an unminified esbuild bundle belongs to: esbuild writes `// path` before each.
function bundleModules(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const owners = [];
  let current = '(bundle)';
  for (const line of lines) {
    const match = /^\s*\/\/ ((?:node_modules|src|commands)\/\S+\.(?:js|cjs|mjs|ts|tsx|json))$/.exec(line);
    if (match) current = match[1];
    owners.push(current);
  }
  return owners;
}

function category(modulePath, functionName) {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle (waiting: network, API server)';
  if (functionName === '(program)') return 'V8/Node native (start-up, compile, TLS, I/O)';
  if (functionName === 'parse' && modulePath === '') return 'JSON.parse';
  if (modulePath.startsWith('node:internal/modules') || modulePath.startsWith('node:internal/vm')) return 'module loading (node:internal/modules)';
  if (modulePath === 'node:internal/bootstrap/realm') return "Node's built-in modules loading (http, tls, zlib, ...)";
  if (/^node:(internal\/)?(tls|_tls|https|http|_http|net|crypto|stream|zlib|internal\/http|internal\/tls|internal\/crypto|internal\/streams)/.test(modulePath)) return 'Node http/tls/net/streams';
  if (modulePath.startsWith('node:')) return 'other Node internals';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(modulePath);
  if (packageMatch) return `package ${packageMatch[1]}`;
  const ours = /(?:^|\/)(src\/[^/]+|commands|bin)\//.exec(modulePath);
  if (ours) return `svc-trace ${ours[1]}`;
  if (modulePath === '') return 'V8 builtins (no script)';
  return `other: ${path.basename(modulePath)}`;
}

const bundles = new Map();
function ownersOf(file) {
  if (!bundles.has(file)) bundles.set(file, bundleModules(file));
  return bundles.get(file);
}

function summarize(profileFile) {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const sampled = byId.get(profile.samples[i]);
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const frame = sampled.callFrame;
    let modulePath = frame.url.replace(/^file:\/\//, '');
    if (modulePath.endsWith('svc-trace.cjs')) modulePath = ownersOf(modulePath)[frame.lineNumber] ?? '(bundle)';
    else if (modulePath.startsWith(repository)) modulePath = path.relative(repository, modulePath);
    const key = category(modulePath, frame.functionName);
    totals.set(key, (totals.get(key) ?? 0) + delta);
  }
  const sampled = (profile.endTime - profile.startTime) / 1000;
  return { totals, sampled };
}

function run(argv) {
  const directory = mkdtempSync(path.join(tmpdir(), 'svc-trace-profile-'));
  const started = process.hrtime.bigint();
  const result = spawnSync(node, ['--cpu-prof', `--cpu-prof-dir=${directory}`, '--cpu-prof-interval=500', script, ...argv], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`exit ${result.status}: ${result.stderr}`);
  const file = path.join(directory, readdirSync(directory).find((name) => name.endsWith('.cpuprofile')));
  return { file, wallMs, stderr: result.stderr };
}

const runs = Number(flags.runs);
const all = [];
for (let i = 0; i < runs; i++) {
  const one = run(positionals);
  all.push({ ...one, ...summarize(one.file) });
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const keys = [...new Set(all.flatMap((one) => [...one.totals.keys()]))];
const rows = keys.map((key) => [key, median(all.map((one) => one.totals.get(key) ?? 0))]).sort((a, b) => b[1] - a[1]);
console.log(`| ${flags.bundle ? 'bundle' : 'npm'}: \`${positionals.join(' ')}\` | median self time |`);
console.log('|---|---|');
for (const [key, ms] of rows) if (ms >= 0.5) console.log(`| ${key} | ${ms.toFixed(1)} ms |`);
console.log(`| sampled (profiler on → exit) | ${median(all.map((one) => one.sampled)).toFixed(0)} ms |`);
console.log(`| wall, process start → exit (with the profiler) | ${median(all.map((one) => one.wallMs)).toFixed(0)} ms |`);
console.log(`\n${runs} runs; profiles kept: ${all.at(-1).file}`);
