#!/usr/bin/env node
// Start-up time of svc-trace, packaged and from npm, against `kubectl version --client`.
// Paired runs (each round runs every command once, in a rotating order), medians, peak RSS from
// /usr/bin/time. Prints a Markdown table. The packaged executable's budget is 1.5× kubectl.
//
//   npm run package && npm run build && node bench/startup.mjs [RUNS]
//   SVC_TRACE_BENCH_BEFORE=../old node bench/startup.mjs [RUNS]   (and another checkout, interleaved)
//
// Packaged: dist-release/build/<os>-<arch>/kubectl-svc_trace (what the release archive holds).
// npm: bin/kubectl-svc_trace.js run by this Node (the files `npm install -g` puts on PATH), or
// the executable SVC_TRACE_NPM_BIN names (e.g. <prefix>/bin/kubectl-svc_trace of a real install).
// kubectl: the local cluster's build (test/cluster/versions.env), else the one on PATH.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 21);
const repository = path.resolve(import.meta.dirname, '..');
const platform = `${{ win32: 'windows' }[process.platform] ?? process.platform}-${{ x64: 'amd64' }[process.arch] ?? process.arch}`;
const packaged = path.join(repository, 'dist-release', 'build', platform, `kubectl-svc_trace${process.platform === 'win32' ? '.exe' : ''}`);
const script = process.env.SVC_TRACE_NPM_BIN || path.join(repository, 'bin', 'kubectl-svc_trace.js');

function kubectl() {
  const built = spawnSync('bash', ['-c', 'source test/cluster/versions.env && echo "$CACHE/bin/kubectl"'], { cwd: repository, encoding: 'utf8' }).stdout?.trim();
  return built && existsSync(built) ? built : 'kubectl';
}

function fail(message) {
  process.stderr.write(`bench/startup: ${message}\n`);
  process.exit(2);
}

if (!existsSync(packaged)) fail(`no packaged executable at ${path.relative(repository, packaged)}: run npm run package`);
if (!process.env.SVC_TRACE_NPM_BIN && !existsSync(path.join(repository, 'dist', 'src', 'cli', 'main.js'))) fail('no build in dist/: run npm run build');

const timeBinary = existsSync('/usr/bin/time') && process.platform === 'linux' ? '/usr/bin/time' : undefined;
const env = { PATH: process.env.PATH, HOME: os.tmpdir() }; // no kubeconfig, no user config

// SVC_TRACE_BENCH_BEFORE: another checkout (built and packaged) measured in the same rounds, its rows marked "before".
const before = process.env.SVC_TRACE_BENCH_BEFORE ? path.resolve(process.env.SVC_TRACE_BENCH_BEFORE) : undefined;
const beforePackaged = before && path.join(before, path.relative(repository, packaged));
if (before && !existsSync(beforePackaged)) fail(`no packaged executable at ${beforePackaged}: run npm run package there`);
const sides = [...(before ? [['before ', beforePackaged, path.join(before, 'bin', 'kubectl-svc_trace.js')]] : []), [before ? 'after ' : '', packaged, script]];

const commands = [
  { label: '`kubectl version --client`', argv: [kubectl(), 'version', '--client'], reference: true },
  ...sides.flatMap(([side, executable, bin]) => [
    { label: `${side}packaged \`kubectl-svc_trace --help\``, argv: [executable, '--help'], budget: side !== 'before ' },
    { label: `${side}packaged \`kubectl-svc_trace --version\``, argv: [executable, '--version'], budget: side !== 'before ' },
    { label: `${side}npm (Node ${process.version}) \`kubectl-svc_trace --help\``, argv: [process.execPath, bin, '--help'] },
    { label: `${side}npm (Node ${process.version}) \`kubectl-svc_trace --version\``, argv: [process.execPath, bin, '--version'] },
  ]),
];

// One run: wall milliseconds and peak RSS in MiB.
function measure(argv) {
  const command = timeBinary ? [timeBinary, '-f', '%M', ...argv] : argv;
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) fail(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  const rss = timeBinary ? Number(result.stderr.trim().split('\n').at(-1)) / 1024 : undefined;
  return { ms, rss };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

for (const command of commands) measure(command.argv); // warm the page cache
const samples = commands.map(() => []);
for (let round = 0; round < runs; round++) {
  for (let k = 0; k < commands.length; k++) {
    const index = (round + k) % commands.length;
    samples[index].push(measure(commands[index].argv));
  }
}

const reference = median(samples[0].map((s) => s.ms));
console.log('| start-up | median | ratio to kubectl | peak RSS |');
console.log('|---|---|---|---|');
let over = false;
for (const [index, command] of commands.entries()) {
  const ms = median(samples[index].map((s) => s.ms));
  const rss = timeBinary ? `${median(samples[index].map((s) => s.rss)).toFixed(0)} MiB` : '-';
  const ratio = ms / reference;
  if (command.budget && ratio > 1.5) over = true;
  console.log(`| ${command.label} | ${ms.toFixed(0)} ms | ${ratio.toFixed(2)}× | ${rss} |`);
}
const load = os.loadavg()[0].toFixed(1);
console.log(`\n${runs} paired runs; medians; ${os.cpus().length} CPUs, load ${load}; budget: packaged ≤ 1.50× kubectl${over ? ' — OVER BUDGET' : ' — met'}.`);
