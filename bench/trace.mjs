#!/usr/bin/env node
// Latency and memory of svc-trace against kubectl doing comparable work on the same cluster.
// Paired, alternating runs; medians; peak RSS from /usr/bin/time. Prints a Markdown table.
//
//   KUBECONFIG=... node bench/trace.mjs NAMESPACE SERVICE [RUNS]
//
// Needs the built project (npm run build) and kubectl on PATH. Run through npm so that Node 24 is
// first on PATH: npm run bench:trace -- NAMESPACE SERVICE

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [namespace = 'default', service = 'kubernetes', runs = '15'] = process.argv.slice(2);
const repo = path.resolve(import.meta.dirname, '..');
const pluginDir = path.join(mkdtempSync(path.join(tmpdir(), 'svc-trace-bench-')), 'bin');
mkdirSync(pluginDir);
for (const name of ['kubectl-svc_trace', 'kubectl-svc_explain']) symlinkSync(path.join(repo, 'bin', `${name}.js`), path.join(pluginDir, name));
const env = { ...process.env, PATH: [pluginDir, path.dirname(process.execPath), process.env.PATH].join(path.delimiter) };

// One run: wall milliseconds and peak RSS in MiB.
function measure(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', ...args], { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const rss = Number(result.stderr.trim().split('\n').at(-1)) / 1024;
  return { ms, rss };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const pairs = [
  ['trace one Service', ['kubectl', 'svc-trace', service, '-n', namespace, '-o', 'json'], ['kubectl', 'describe', 'service', service, '-n', namespace]],
  ['list the namespace', ['kubectl', 'svc-trace', '-n', namespace, '-o', 'json'], ['kubectl', 'get', 'services,endpointslices,pods', '-n', namespace, '-o', 'json']],
  ['start-up (--help)', ['kubectl-svc_trace', '--help'], ['kubectl', 'version', '--client']],
];

console.log(`| work | svc-trace median | kubectl median | ratio | svc-trace peak RSS | kubectl peak RSS |`);
console.log(`|---|---|---|---|---|---|`);
for (const [work, ours, theirs] of pairs) {
  measure(ours); // warm the page cache
  measure(theirs);
  const a = [];
  const b = [];
  for (let i = 0; i < Number(runs); i++) {
    a.push(measure(ours));
    b.push(measure(theirs));
  }
  const ms = (list) => median(list.map((r) => r.ms));
  const rss = (list) => median(list.map((r) => r.rss));
  console.log(
    `| ${work} | ${ms(a).toFixed(0)} ms | ${ms(b).toFixed(0)} ms | ${(ms(a) / ms(b)).toFixed(2)}× | ${rss(a).toFixed(0)} MiB | ${rss(b).toFixed(0)} MiB |`,
  );
}
console.log(`\n${runs} paired runs each; \`kubectl svc-trace\` = ${service} in ${namespace}; Node ${process.version}.`);
