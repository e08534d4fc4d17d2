#!/usr/bin/env node
// A single-Service trace, before and after a change, against `kubectl describe service` on the
// same cluster in one run: the packaged executable and the npm install, the tree a terminal shows,
// start-up (`--help`), and a trace whose kubeconfig logs in through an exec credential plugin (how
// EKS, GKE and AKS log in).
// Each round runs every command once, in a rotating order (paired, interleaved); the table gives
// medians of wall time, CPU time (user + system) and peak RSS from the kernel (wait4), and the median of
// each round's ratio to kubectl (the machine's load moves both sides of a pair alike).
//
//   KUBECONFIG=... node bench/trace.mjs [--before CHECKOUT] [--runs N] NAMESPACE SERVICE
//
// Run through npm so that Node 24 is first on PATH: npm run bench:trace -- --before ../old shop api
// CHECKOUT is another checkout of svc-trace, built (npm run build) and packaged (npm run package),
// e.g. a `git worktree` of the commit to compare with; without it only this checkout is measured.
// The packaged executable is dist-release/build/<os>-<arch>/kubectl-svc_trace of each checkout
// (what the release archive holds); the npm install is bin/kubectl-svc_trace.js run by this Node.
// The commands are run directly, as kubectl runs a plugin it found on PATH (`kubectl svc-trace`
// adds kubectl's own start and plugin lookup, on both sides the same).

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: flags, positionals } = parseArgs({
  options: { before: { type: 'string' }, runs: { type: 'string', default: '15' }, only: { type: 'string' } },
  allowPositionals: true,
});
const [namespace = 'default', service = 'kubernetes'] = positionals;
const runs = Number(flags.runs);
const after = path.resolve(import.meta.dirname, '..');
const before = flags.before ? path.resolve(flags.before) : undefined;
const platform = `${{ win32: 'windows' }[process.platform] ?? process.platform}-${{ x64: 'amd64' }[process.arch] ?? process.arch}`;

function fail(message) {
  process.stderr.write(`bench/trace: ${message}\n`);
  process.exit(2);
}

if (!process.env.KUBECONFIG) fail('set KUBECONFIG to the cluster to measure against');
if (spawnSync('python3', ['-c', 'import os; os.wait4']).status !== 0) fail('needs python3 (its os.wait4 reads each run\'s CPU time and peak RSS)');

function kubectl() {
  const built = spawnSync('bash', ['-c', 'source test/cluster/versions.env && echo "$CACHE/bin/kubectl"'], { cwd: after, encoding: 'utf8' }).stdout?.trim();
  return built && existsSync(built) ? built : 'kubectl';
}

// The exec plugin: a script that prints the kubeconfig user's own client certificate as an
// ExecCredential, so the API server sees the same user either way.
function execKubeconfig(scratch) {
  const view = spawnSync(kubectl(), ['config', 'view', '--minify', '--raw', '-o', 'json'], { encoding: 'utf8' });
  if (view.status !== 0) fail(`kubectl config view failed: ${view.stderr}`);
  const config = JSON.parse(view.stdout);
  const user = config.users[0].user;
  const data = (inline, file) => inline ?? (file ? readFileSync(file).toString('base64') : undefined);
  const cert = data(user['client-certificate-data'], user['client-certificate']);
  const key = data(user['client-key-data'], user['client-key']);
  const status = cert && key ? { clientCertificateData: Buffer.from(cert, 'base64').toString(), clientKeyData: Buffer.from(key, 'base64').toString() } : { token: user.token };
  if (!status.token && !status.clientCertificateData) fail('the kubeconfig user has neither a client certificate nor a token to hand out through a plugin');
  const credential = path.join(scratch, 'credential.json');
  writeFileSync(credential, JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
  const plugin = path.join(scratch, 'credential-plugin.sh');
  writeFileSync(plugin, `#!/bin/sh\nexec cat '${credential}'\n`);
  chmodSync(plugin, 0o755);
  config.users[0].user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } };
  const file = path.join(scratch, 'exec-kubeconfig.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'svc-trace-bench-'));
const execConfig = execKubeconfig(scratch);
const checkouts = [...(before ? [['before', before]] : []), ['after', after]];
const packaged = (checkout) => path.join(checkout, 'dist-release', 'build', platform, 'kubectl-svc_trace');
const npm = (checkout) => [process.execPath, path.join(checkout, 'bin', 'kubectl-svc_trace.js')];
for (const [, checkout] of checkouts) {
  if (!existsSync(packaged(checkout))) fail(`no packaged executable at ${packaged(checkout)}: run npm run package there`);
  if (!existsSync(path.join(checkout, 'dist', 'src', 'cli', 'main.js'))) fail(`no build in ${checkout}/dist: run npm run build there`);
}

const trace = [service, '-n', namespace];
const rows = [
  { work: 'one Service, packaged executable', reference: 'describe', argv: (c) => [packaged(c), ...trace] },
  { work: 'one Service, npm install', reference: 'describe', argv: (c) => [...npm(c), ...trace] },
  // What a terminal shows by default (the runs' stdout is /dev/null, so the tree is asked for).
  { work: 'one Service as a tree (`-o tree`, the default on a terminal), packaged', reference: 'describe', argv: (c) => [packaged(c), ...trace, '-o', 'tree'] },
  { work: 'start-up `--help`, packaged', reference: 'version', argv: (c) => [packaged(c), '--help'] },
  { work: 'start-up `--help`, npm', reference: 'version', argv: (c) => [...npm(c), '--help'] },
  { work: 'one Service with an exec credential plugin, npm', reference: 'describe', argv: (c) => [...npm(c), ...trace], env: { KUBECONFIG: execConfig } },
  { work: 'one Service with an exec credential plugin, packaged', reference: 'describe', argv: (c) => [packaged(c), ...trace], env: { KUBECONFIG: execConfig } },
].filter((row) => !flags.only || row.work.includes(flags.only));
const references = {
  describe: { label: `\`kubectl describe service\``, argv: [kubectl(), 'describe', 'service', service, '-n', namespace] },
  version: { label: '`kubectl version --client`', argv: [kubectl(), 'version', '--client'] },
};

// Every command of a round: the references, and each row for each checkout.
const commands = [
  ...Object.entries(references).map(([key, reference]) => ({ key, argv: reference.argv })),
  ...rows.flatMap((row, index) => checkouts.map(([side, checkout]) => ({ key: `${index}:${side}`, argv: row.argv(checkout), env: row.env }))),
];

// One run: wall and CPU milliseconds, peak RSS in MiB, from wait4's rusage (microseconds; GNU
// time rounds CPU to 10 ms) in a small Python parent, which starts before the clock does.
const rusage = [
  'import os, sys, time',
  't = time.perf_counter()',
  'pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0), (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)])',
  '_, status, usage = os.wait4(pid, 0)',
  'wall = time.perf_counter() - t',
  'sys.stderr.write("\\n%d %f %f %d\\n" % (os.waitstatus_to_exitcode(status), wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss))',
].join('\n');

function measure(command) {
  const env = { ...process.env, NO_COLOR: '1', ...command.env };
  const result = spawnSync('python3', ['-c', rusage, ...command.argv], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const [code, ms, cpu, rss] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  if (result.status !== 0 || (code !== 0 && code !== 1)) fail(`${command.argv.join(' ')} exited ${code ?? result.status}: ${result.stderr}`);
  return { ms, cpu, rss: rss / 1024 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const loadBefore = os.loadavg();
for (const command of commands) measure(command); // warm the page cache and Node's compile cache
const samples = new Map(commands.map((command) => [command.key, []]));
for (let round = 0; round < runs; round++) {
  const results = new Map();
  for (let k = 0; k < commands.length; k++) {
    const command = commands[(round + k) % commands.length];
    results.set(command.key, measure(command));
  }
  for (const [key, result] of results) samples.get(key).push({ ...result, round: results });
}
const loadAfter = os.loadavg();

const of = (key, field) => median(samples.get(key).map((s) => s[field]));
const cell = (key) => `${of(key, 'ms').toFixed(0)} ms / ${of(key, 'cpu').toFixed(0)} ms / ${of(key, 'rss').toFixed(0)} MiB`;
// The median of the per-round ratios of wall time to the reference run in the same round.
const ratio = (key, reference) => median(samples.get(key).map((s) => s.ms / s.round.get(reference).ms));
const cpuRatio = (key, reference) => median(samples.get(key).map((s) => s.cpu / Math.max(s.round.get(reference).cpu, 1)));

const sides = checkouts.map(([side]) => side);
console.log(`| work | ${sides.map((side) => `${side}: wall / CPU / peak RSS`).join(' | ')} | kubectl: wall / CPU / peak RSS | ratio to kubectl, wall (CPU): ${sides.join(' → ')} |`);
console.log(`|---|${sides.map(() => '---|').join('')}---|---|`);
for (const [index, row] of rows.entries()) {
  const keys = sides.map((side) => `${index}:${side}`);
  const ratios = keys.map((key) => `${ratio(key, row.reference).toFixed(2)}× (${cpuRatio(key, row.reference).toFixed(2)}×)`).join(' → ');
  console.log(`| ${row.work} | ${keys.map(cell).join(' | ')} | ${references[row.reference].label}: ${cell(row.reference)} | ${ratios} |`);
}
const load = (values) => values.map((value) => value.toFixed(1)).join(' ');
console.log(
  `\n${runs} rounds, every command once per round in a rotating order; medians; Node ${process.version}; \`${service}\` in namespace ${namespace}; ` +
    `${os.cpus().length} CPUs, load average ${load(loadBefore)} at the start and ${load(loadAfter)} at the end.`,
);
