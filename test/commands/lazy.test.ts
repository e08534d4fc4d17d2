// A usage error and --help come before anything heavy is loaded: each command turns its flags into
// a request (src/requests/) and imports the service that runs it only once the request is valid,
// so a mistyped command line is answered without the analysis, the cluster client, the renderers or
// ink being read from disk.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorLines, run, sandbox, type Sandbox } from './run.js';

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

const hook = pathToFileURL(path.join(import.meta.dirname, 'loaded-modules.js')).href;
// The parts a command needs only once it runs.
const heavy = [
  /\/dist\/src\/(services|cluster|analyze|render|explain|ui|forward\/wire)\//,
  /\/dist\/src\/(probe\/run|forward\/forwarder)\.js$/,
  /\/node_modules\/(ink|react|yaml|@kubernetes\/client-node)\//,
];

async function loadedBy(args: string[], executable: 'trace' | 'explain' = 'trace'): Promise<{ code: number | null; stderr: string; modules: string[] }> {
  const file = path.join(box.home, `loaded-${args.join('-').replace(/[^a-z0-9-]/gi, '_')}.txt`);
  // The unbundled build, module by module: the bundle bin/ runs keeps each dynamic import a lazily run part.
  const env = { NODE_OPTIONS: `--import=${hook}`, SVC_TRACE_LOADED_MODULES: file, SVC_TRACE_UNBUNDLED: '1' };
  const result = await run(args, { home: box.home, executable, env });
  const modules = (await readFile(file, 'utf8')).split('\n');
  return { code: result.code, stderr: result.stderr, modules };
}

function assertNothingHeavy(modules: string[]): void {
  assert.ok(modules.some((url) => url.includes('/dist/commands/')), 'the hook saw the commands load');
  const loaded = modules.filter((url) => heavy.some((pattern) => pattern.test(url)));
  assert.deepEqual(loaded, [], 'nothing heavy is loaded');
}

describe('a usage error loads nothing heavy', () => {
  const cases: Array<[string, string[], 'trace' | 'explain', RegExp]> = [
    ['trace: an invalid Service name', ['bad name'], 'trace', /"bad name" is not a valid Service name/],
    ['trace: --watch without a Service', ['-w'], 'trace', /^--watch follows one Service$/],
    ['explain: a format it does not have', ['cart', '-o', 'wide'], 'explain', /unknown output format "wide" for explain/],
    ['assert: no Service', ['assert'], 'trace', /^no Service to assert on$/],
    ['forward: no port', ['forward', 'web'], 'trace', /^name at least one port to forward$/],
    ['expose: creating without a terminal or --yes', ['expose', 'deploy/web'], 'trace', /needs a confirmation/],
  ];
  for (const [name, args, executable, message] of cases) {
    test(name, async () => {
      const { code, stderr, modules } = await loadedBy(args, executable);
      assert.equal(code, 2, stderr);
      assert.match(errorLines({ code, stdout: '', stderr }).error, message);
      assertNothingHeavy(modules);
    });
  }
});

describe('--help loads nothing heavy', () => {
  for (const args of [['--help'], ['assert', '--help'], ['forward', '--help'], ['expose', '--help']]) {
    test(args.join(' '), async () => {
      const { code, stderr, modules } = await loadedBy(args);
      assert.equal(code, 0, stderr);
      assertNothingHeavy(modules);
    });
  }
});
