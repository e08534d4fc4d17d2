// Turns the bundle into a Node single executable application: a preparation blob whose main
// script is sea-main.cjs and whose assets are the bundle and the bundle's trained code cache,
// injected into a copy of the pinned Node 24 binary with postject. Node's own code cache for the
// main script (useCodeCache) is left out: V8 writes it differently on every build (see
// code-cache.mjs), and for a main script of a dozen lines it saves nothing measurable.
// https://nodejs.org/docs/latest-v24.x/api/single-executable-applications.html

import { spawnSync } from 'node:child_process';
import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const sentinelFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function run(command, args, what) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`${what} failed (${command} ${args.join(' ')}): ${result.error?.message ?? result.stderr.trim()}`);
  }
  return result.stdout;
}

function available(command) {
  return spawnSync(command, ['--version'], { encoding: 'utf8' }).error === undefined;
}

// The Node 24 binary that both writes the blob and becomes the executable (a code cache is only
// valid for the V8 that made it): SVC_TRACE_SEA_NODE when set; else the binary of the `node`
// devDependency (node_modules/.bin/node links to it; on Windows that is a .cmd shim, so look for
// the binary itself); else the Node running this script. The release workflow uses the last: the
// `node` package has no 24.x build for macOS or Windows on arm64, so CI installs the same version
// from nodejs.org (actions/setup-node) instead.
export function pinnedNode(repository) {
  const candidates = process.env.SVC_TRACE_SEA_NODE
    ? [process.env.SVC_TRACE_SEA_NODE]
    : [
        path.join(repository, 'node_modules', 'node', 'bin', 'node.exe'),
        path.join(repository, 'node_modules', 'node', 'bin', 'node'),
        path.join(repository, 'node_modules', '.bin', 'node'),
        process.execPath,
      ];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const binary = realpathSync(candidate);
    const version = spawnSync(binary, ['-p', 'process.version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    if (/^v24\./.test(version)) return { binary, version };
  }
  throw new Error(`no Node 24 binary among ${candidates.join(', ')}: run npm ci, or set SVC_TRACE_SEA_NODE`);
}

// Node's own license (it ships inside every executable): next to the binary in a nodejs.org
// install (bin/../LICENSE, or beside node.exe), or in the platform package the `node`
// devDependency installed, when npm kept it.
export function nodeLicense(repository, binary) {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const base = path.join(repository, 'node_modules', 'node', 'node_modules');
  const candidates = [
    path.join(path.dirname(binary), '..', 'LICENSE'),
    path.join(path.dirname(binary), 'LICENSE'),
    path.join(base, `node-${platform}-${process.arch}`, 'LICENSE'),
    path.join(base, `node-bin-${platform}-${process.arch}`, 'LICENSE'),
  ];
  return candidates.find((file) => existsSync(file) && /Node\.js/.test(readFileSync(file, 'utf8').slice(0, 2000)));
}

const main = path.join(import.meta.dirname, 'sea-main.cjs');

export async function makeExecutable({ node, bundleFile, clientFile, codeCacheFile, workDirectory, output }) {
  const blob = path.join(workDirectory, 'sea-prep.blob');
  const config = path.join(workDirectory, 'sea-config.json');
  const seaConfig = {
    main,
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    // Semi-spaces of at most 16 MiB: with V8's default the young generation grows to ~128 MiB in
    // list mode at scale, because the objects it keeps survive scavenges (README, Performance).
    execArgv: ['--max-semi-space-size=16'],
    // NODE_OPTIONS is for the user's own Node (--require, --inspect, ...), not for this tool.
    execArgvExtension: 'none',
    assets: { 'svc-trace.cjs': bundleFile, [path.basename(clientFile)]: clientFile, 'svc-trace.code-cache': codeCacheFile },
  };
  await writeFile(config, `${JSON.stringify(seaConfig, null, 2)}\n`);
  run(node, ['--experimental-sea-config', config], 'writing the SEA preparation blob');

  await copyFile(node, output);
  await chmod(output, 0o755);
  if (process.platform === 'linux' && available('strip')) {
    // Symbols and debug info are a sixth of the binary and nothing at run time needs them.
    run('strip', ['--strip-all', output], 'stripping the Node binary');
  }
  if (process.platform === 'darwin') run('codesign', ['--remove-signature', output], 'removing the signature');
  if (process.platform === 'win32' && available('signtool')) run('signtool', ['remove', '/s', output], 'removing the signature');

  // postject's CLI in a child process: its ELF library prints a warning for each of the Node
  // binary's many notes ("Can't find string offset for section name"), harmless and only worth
  // showing when the injection fails.
  const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  const macho = process.platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : [];
  run(process.execPath, [postject, output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', sentinelFuse, ...macho], 'injecting the blob (postject)');
  // Apple silicon refuses to run an unsigned binary; an ad-hoc signature is enough.
  if (process.platform === 'darwin') run('codesign', ['--sign', '-', output], 'signing the executable');

  const check = spawnSync(output, ['--version'], { encoding: 'utf8', env: { ...process.env, SVC_TRACE_CHECK_CODE_CACHE: '1' } });
  if (!/^code cache accepted$/m.test(check.stderr)) {
    throw new Error(`the executable does not use its code cache: ${JSON.stringify(check.stderr.trim() || check.error?.message)}`);
  }
  return output;
}
