// The bundle's trained V8 code cache: the pinned Node runs the bundle as `--help` and `--version`,
// then saves the bytecode it compiled: oclif, the commands, flag parsing and help.
//
// Why not train on a trace too: V8 reads the whole cache on every start, and its cost grows faster
// than the cache. Measured with callgrind (instructions, Node 24.21): adding offline list, trace and
// explain runs made --help 30% dearer (206M → 268M) and saved a list or trace only 5-6%.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const trainer = path.join(import.meta.dirname, 'code-cache-trainer.cjs');

export const trainingRuns = [['--help'], ['--version']];

export function recordCodeCache({ node, repository, bundleFile, output }) {
  // Nothing of this machine's kubeconfig or home may shape the runs.
  const home = mkdtempSync(path.join(tmpdir(), 'svc-trace-code-cache-'));
  try {
    const result = spawnSync(node, [trainer, bundleFile, output, JSON.stringify(trainingRuns)], {
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
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return statSync(output).size;
}
