// Runs the bundled CLI (dist/svc-trace.cjs, written by npm run build) for bin/kubectl-svc_trace.js
// and bin/kubectl-svc_explain.js, with a V8 code cache trained on this machine: Node's own compile
// cache (module.enableCompileCache) keeps only what V8 compiles up front, a small part of a bundle
// whose functions compile lazily, so here the cache is written after the first command that is not
// --help or --version, holding every function that command ran (as the single executable's trained
// cache does, scripts/package/code-cache.mjs). It lives in the OS temporary directory, per user, bundle
// and Node version; a cache V8 rejects is written again. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
// SVC_TRACE_UNBUNDLED=1 runs the unbundled build in dist/src instead, module by module (the tests
// that watch which modules a command loads; the bundle keeps each dynamic import a lazily run part).
//
// List mode of a cluster keeps every Service, slice and pod alive while it reads them, and V8's young
// generation then grows to 128 MiB of semi-spaces (README, List mode at scale); the packaged executable
// starts Node with --max-semi-space-size=16 (its SEA config), which V8 reads only at start-up. So list
// mode replaces this process, before loading anything, with Node started with that flag, the same
// script and argv, environment and stdio (process.execve: the same process id, so signals, exit codes,
// the terminal and a parent's wait are those of one process). A trace of one Service (and -f) does not
// pay the extra start. Not where process.execve is missing (Windows), nor when the flag is set already.

import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

export async function launch(executable, argv) {
  if (listsCluster(executable, argv)) relaunchWithSmallYoungGeneration(argv);
  if (process.env.SVC_TRACE_UNBUNDLED === '1') {
    const { main } = await import('../dist/src/cli/main.js');
    return main(executable, argv, import.meta.url);
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const bundle = path.join(root, 'dist', 'svc-trace.cjs');
  const source = readFileSync(bundle, 'utf8');
  const cache = codeCacheFile(bundle);
  const cachedData = cache && readOptional(cache);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  const help = argv.some((arg) => helpOrVersion.has(arg));
  if (cache && !help && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', () => writeQuietly(cache, script.createCachedData()));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return module.exports.start(executable, argv, root);
}

// Whether argv asks for list mode of a cluster (`kubectl svc-trace [-A] [-n NS]`, no SERVICE or entry, no
// -f: manifests are small beside a cluster's pods, and the extra start, ~30 ms, is a third of such a run),
// read before anything is loaded. A guess that is wrong either way changes only memory and one process
// start, never what the command does: both ways run the same CLI with the same argv.
// The trace command's flags that take a value (commands/trace.ts; a unit test compares the two).
export const valueFlags = new Set([
  '-n', '--namespace', '--context', '--kubeconfig', '--request-timeout', '--color', '-o', '--output', '--fail-on',
  '--from', '--from-namespace', '--port', '--probe-limit', '--probe-timeout', '-f', '--filename',
]);

const subcommands = new Set(['explain', 'assert', 'forward', 'expose']);
const helpOrVersion = new Set(['--help', '-h', '--version', '-v']);

export function listsCluster(executable, argv) {
  if (executable !== 'trace' || subcommands.has(argv[0])) return false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') return i === argv.length - 1; // what follows is SERVICE
    if (helpOrVersion.has(word)) return false;
    if (!word.startsWith('-') || word === '-') return false; // SERVICE, ingress/NAME, ...
    if (/^(-f|--filename(=|$))/.test(word)) return false;
    if (valueFlags.has(word)) i += 1;
  }
  return true;
}

const semiSpace = '--max-semi-space-size=16';

function relaunchWithSmallYoungGeneration(argv) {
  const set = /--max[-_]semi[-_]space[-_]size/;
  if (typeof process.execve !== 'function' || process.argv[1] === undefined) return;
  if (process.execArgv.some((option) => set.test(option)) || set.test(process.env.NODE_OPTIONS ?? '')) return;
  try {
    process.execve(process.execPath, [process.execPath, semiSpace, ...process.execArgv, process.argv[1], ...argv], process.env);
  } catch {
    // execve(2) failed (Node says why and keeps this process as it was): list mode runs here, without the flag.
  }
}

// The cache runs as code: it is used only from a directory of this user's that no one else can write.
function codeCacheFile(bundle) {
  if (process.env.NODE_DISABLE_COMPILE_CACHE === '1') return undefined;
  const uid = process.getuid?.();
  const directory = path.join(os.tmpdir(), `svc-trace-code-cache${uid === undefined ? '' : `-${uid}`}`);
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const owner = statSync(directory);
    if (!owner.isDirectory() || (uid !== undefined && (owner.uid !== uid || (owner.mode & 0o022) !== 0))) return undefined;
  } catch {
    return undefined; // a read-only temporary directory: no cache
  }
  const { size, mtimeMs } = statSync(bundle);
  return path.join(directory, `${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}.cache`);
}

function readOptional(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

// A cache that cannot be written (a full disk) only costs the next run its speed.
function writeQuietly(file, data) {
  try {
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, data, { mode: 0o600 });
    renameSync(partial, file);
  } catch {}
}
