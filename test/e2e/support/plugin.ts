// The plugin installed the way a user has it — executables kubectl-svc_trace and
// kubectl-svc_explain on PATH, called through kubectl — for the end-to-end suite and for
// bench/forward.mjs and bench/probe.mjs (which import the build of this file).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const executables = [
  ['kubectl-svc_trace', 'trace'],
  ['kubectl-svc_explain', 'explain'],
] as const;

// A fresh directory with the executables. For the build in REPO/dist, links to bin/ (which loads
// dist/), as npm installs them; for a build elsewhere (an engineer's own out dir, or a benchmark's
// SVC_TRACE_BUILD), launchers that load that build, so that what runs is the code it holds.
export function installPlugin(repo: string, build = path.join(repo, 'dist')): string {
  const directory = path.join(mkdtempSync(path.join(tmpdir(), 'svc-trace-plugin-')), 'bin');
  mkdirSync(directory);
  const elsewhere = path.resolve(build) !== path.resolve(repo, 'dist');
  const module = (file: string) => JSON.stringify(pathToFileURL(path.join(build, file)).href);
  for (const [executable, kind] of executables) {
    const target = path.join(directory, executable);
    if (!elsewhere) {
      symlinkSync(path.join(repo, 'bin', `${executable}.js`), target);
      continue;
    }
    writeFileSync(
      target,
      [
        '#!/usr/bin/env node',
        "import { readFileSync } from 'node:fs';",
        `const { COMMANDS } = await import(${module('commands/index.js')});`,
        `const { default: help } = await import(${module('src/cli/help.js')});`,
        `const { main } = await import(${module('src/cli/main.js')});`,
        `const pjson = JSON.parse(readFileSync(${JSON.stringify(path.join(repo, 'package.json'))}, 'utf8'));`,
        `await main('${kind}', process.argv.slice(2), ${JSON.stringify(repo)}, { pjson, commands: COMMANDS, help });`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
  }
  return directory;
}

// Where the local control plane's own binaries are (kubectl among them): test/cluster/versions.env.
export function clusterBinDirectory(repo: string): string {
  return spawnSync('bash', ['-c', 'source test/cluster/versions.env && echo "$CACHE/bin"'], { cwd: repo, encoding: 'utf8' }).stdout.trim();
}

// An environment with the plugin (of BUILD, see installPlugin) first on PATH, then this Node (24,
// which the plugin needs), then the cluster's binaries where they are built; no colour.
export function pluginEnvironment(repo: string, build?: string): NodeJS.ProcessEnv {
  const clusterBin = clusterBinDirectory(repo);
  const entries = [installPlugin(repo, build), path.dirname(process.execPath), ...(existsSync(clusterBin) ? [clusterBin] : []), process.env.PATH];
  return { ...process.env, PATH: entries.join(path.delimiter), NO_COLOR: '1' };
}
