// The bundle's trained V8 code cache: the pinned Node runs the bundle as `--help`, `--version` and
// an offline trace (trainingRuns), then saves the bytecode it compiled: oclif, the commands, flag
// parsing, help, the analysis and the renderers.
//
// Byte for byte the same on every build: V8 lays the cache out in an order that follows its string
// hashes, and their seed is random per process — so the training runs with a fixed seed
// (--hash-seed), and with --predictable (V8's deterministic mode, no background threads): without
// it one flag bit in a few functions' data differed in 2 of 6 builds; with it 14 of 14 builds, 6 of
// them two at a time, were identical. The cache is valid under any seed (each Node process has its own, and every
// cache crosses from one to another), but V8 accepts it only when the flags hash in its header is
// that of the flags in force; the executable runs without --hash-seed, so the header gets the
// flags hash of a flagless run of the same Node. makeExecutable (sea.mjs) then checks that the
// executable accepts the cache.
//
// The trace is of the example shop, drawn as a tree (the default on a terminal) and as
// text: the analysis and both renderers, ink's included. V8 reads the whole cache on every start,
// so this costs --help some (measured on the 1.7 MiB bundle, 11 paired runs, CPU medians: --help
// 53 -> 61 ms) and saves a trace more (text 132 -> 123 ms, tree 204 -> 182 ms). Before the Kubernetes
// client left the bundle, callgrind measured the trade the other way (--help +30%, a trace -5%).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const trainer = path.join(import.meta.dirname, 'code-cache-trainer.cjs');

const exampleTrace = ['api', '-f', 'examples/shop', '-n', 'shop'];
export const trainingRuns = [['--help'], ['--version'], [...exampleTrace, '-o', 'tree'], [...exampleTrace, '-o', 'text']];

// Any fixed value: the string hash seed of the training runs.
const trainingHashSeed = 20251203;
// Where V8's code cache header (SerializedCodeData) keeps the flags hash: after the magic number,
// the version hash and the source hash, 4 bytes each.
const flagsHashOffset = 12;

// The flags hash that `node` without flags writes (and expects) in a code cache header.
function flaglessFlagsHash(node) {
  const script = `process.stdout.write(new (require('node:vm').Script)('0').createCachedData().subarray(${flagsHashOffset}, ${flagsHashOffset + 4}).toString('hex'))`;
  const result = spawnSync(node, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  if (result.status !== 0 || !/^[0-9a-f]{8}$/.test(result.stdout)) throw new Error(`reading the flags hash of ${node} failed: ${result.stderr}`);
  return Buffer.from(result.stdout, 'hex');
}

export function recordCodeCache({ node, repository, bundleFile, output }) {
  // Nothing of this machine's kubeconfig or home may shape the runs.
  const home = mkdtempSync(path.join(tmpdir(), 'svc-trace-code-cache-'));
  try {
    const result = spawnSync(node, [`--hash-seed=${trainingHashSeed}`, '--predictable', trainer, bundleFile, output, JSON.stringify(trainingRuns)], {
      cwd: repository,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        PATH: process.env.PATH,
        ...(process.env.SystemRoot ? { SystemRoot: process.env.SystemRoot } : {}),
        HOME: home,
        USERPROFILE: home,
        KUBECONFIG: path.join(home, 'no-kubeconfig'),
        NO_COLOR: '1',
      },
    });
    if (result.status !== 0) throw new Error(`recording the code cache failed (${result.status}): ${result.stderr}`);
    const cache = readFileSync(output);
    flaglessFlagsHash(node).copy(cache, flagsHashOffset);
    writeFileSync(output, cache);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return statSync(output).size;
}
