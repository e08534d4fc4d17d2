// The release through the real krew (v0.5.0, built from the Go module proxy): validate-krew-manifest
// accepts both manifests, and `kubectl krew install --manifest --archive` installs svc-trace and
// svc-explain from the local archive into a temporary KREW_ROOT, after which kubectl runs them
// from a PATH that has the krew bin directory and kubectl, and no Node.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import {
  archiveMissing,
  archivePath,
  describeResult,
  krewBin,
  kubectlPath,
  localPlatform,
  run,
  temporaryDirectory,
  toolsMissing,
  version,
  whichOn,
} from './support.js';

const kubectl = kubectlPath();
const skip = toolsMissing() ?? (kubectl ? false : 'no kubectl: build the cluster (bash test/cluster/build.sh) or install one in /usr/bin');
const generator = path.resolve('scripts/package/krew-manifests.mjs');
const validator = path.join(krewBin, 'validate-krew-manifest');

// Writes the manifests with scripts/package/krew-manifests.mjs; returns their paths named as the
// krew index names them (<plugin>.yaml, which validate-krew-manifest insists on).
async function manifests(directory: string, args: string[]): Promise<{ trace: string; explain: string }> {
  const out = path.join(directory, 'out');
  const result = spawnSync(process.execPath, [generator, '--output-dir', out, ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const index = path.join(directory, 'index');
  await mkdir(index, { recursive: true });
  await copyFile(path.join(out, 'krew-manifest.yaml'), path.join(index, 'svc-trace.yaml'));
  await copyFile(path.join(out, 'krew', 'svc-explain.yaml'), path.join(index, 'svc-explain.yaml'));
  return { trace: path.join(index, 'svc-trace.yaml'), explain: path.join(index, 'svc-explain.yaml') };
}

function validate(manifest: string): { status: number | null; output: string } {
  const result = spawnSync(validator, ['-manifest', manifest, '-skip-install'], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

const local = localPlatform();

describe('krew manifests', { skip }, () => {
  test('validate-krew-manifest accepts both manifests of the local archive', { skip: archiveMissing() ?? false }, async (t) => {
    const directory = await temporaryDirectory(t, 'krew');
    const { trace, explain } = await manifests(directory, ['--platforms', `${local.os}/${local.arch}`]);
    for (const manifest of [trace, explain]) {
      const result = validate(manifest);
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /structural validation OK/);
    }
  });

  test('validate-krew-manifest rejects a manifest whose sha256 is not one', async (t) => {
    const directory = await temporaryDirectory(t, 'krew');
    const manifest = path.join(directory, 'svc-trace.yaml');
    await writeFile(manifest, (await readFile('krew-manifest.yaml', 'utf8')).replace(/sha256: [0-9a-f]{64}/, 'sha256: not-a-digest'));
    const result = validate(manifest);
    assert.notEqual(result.status, 0, 'the validator is really checking');
    assert.match(result.output, /sha256/);
  });

  test('the committed manifests validate and are what the templates make of their platforms', async (t) => {
    const directory = await temporaryDirectory(t, 'krew');
    const committed = { trace: await readFile('krew-manifest.yaml', 'utf8'), explain: await readFile('krew/svc-explain.yaml', 'utf8') };
    const spec = parse(committed.trace).spec as { version: string; platforms: Array<{ uri: string; sha256: string; selector: { matchLabels: { os: string; arch: string } } }> };
    // Regenerate from the committed checksums (an empty dist: a fresh local archive has another sha256).
    const checksums = path.join(directory, 'checksums.txt');
    await writeFile(checksums, spec.platforms.map((p) => `${p.sha256}  ${path.basename(p.uri)}\n`).join(''));
    await mkdir(path.join(directory, 'empty'));
    const { trace, explain } = await manifests(directory, [
      '--version',
      spec.version.replace(/^v/, ''),
      '--dist',
      path.join(directory, 'empty'),
      '--checksums',
      checksums,
      '--platforms',
      spec.platforms.map((p) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`).join(','),
    ]);
    assert.equal(await readFile(trace, 'utf8'), committed.trace, 'krew-manifest.yaml: regenerate it (scripts/package/krew-manifests.mjs) instead of editing it');
    assert.equal(await readFile(explain, 'utf8'), committed.explain, 'krew/svc-explain.yaml: regenerate it instead of editing it');
    assert.equal(spec.version, `v${version}`, 'the manifests are of the version in package.json');
    for (const manifest of [trace, explain]) assert.equal(validate(manifest).status, 0, validate(manifest).output);
  });
});

describe('krew install from the release archive', { skip: skip || archiveMissing() || false }, () => {
  test('installs svc-trace and svc-explain with the manifests the build wrote (the README\'s local install); kubectl runs them with no Node on PATH', async (t) => {
    const directory = await temporaryDirectory(t, 'krew-install');
    const [trace, explain] = [path.resolve('dist-release', 'krew-manifest.yaml'), path.resolve('dist-release', 'krew', 'svc-explain.yaml')];
    // kubectl and kubectl-krew, alone in a directory (the system's bin directory may hold a node).
    const tools = path.join(directory, 'tools');
    await mkdir(tools);
    await symlink(kubectl!, path.join(tools, 'kubectl'));
    await symlink(path.join(krewBin, 'krew'), path.join(tools, 'kubectl-krew'));
    const krewRoot = path.join(directory, 'krew-root');
    const home = path.join(directory, 'home');
    await mkdir(home);

    for (const manifest of [trace, explain]) {
      const installed = await run('kubectl', ['krew', 'install', `--manifest=${manifest}`, `--archive=${archivePath}`], {
        env: { PATH: tools, HOME: home, KREW_ROOT: krewRoot },
      });
      assert.equal(installed.code, 0, describeResult(installed));
      assert.match(installed.stderr, /Installed plugin: svc-(trace|explain)/);
    }

    const userPath = [path.join(krewRoot, 'bin'), tools].join(path.delimiter);
    assert.equal(whichOn(userPath, 'node'), undefined, 'no Node on the PATH the plugins run from');
    const env = { PATH: userPath, HOME: home };

    const traceHelp = await run('kubectl', ['svc-trace', '--help'], { env });
    assert.equal(traceHelp.code, 0, describeResult(traceHelp));
    assert.match(traceHelp.stdout, /^ {2}\$ kubectl svc-trace \[SERVICE\] \[flags\]$/m);

    const explainHelp = await run('kubectl', ['svc-explain', '--help'], { env });
    assert.equal(explainHelp.code, 0, describeResult(explainHelp));
    assert.match(explainHelp.stdout, /^ {2}\$ kubectl svc-explain SERVICE \[flags\]$/m);

    const list = await run('kubectl', ['svc-trace', '-f', 'examples/shop', '-n', 'shop'], { env });
    assert.equal(list.code, 0, describeResult(list));
    assert.deepEqual(
      list.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0]),
      ['NAME', 'api', 'cart', 'frontend', 'frontend-nodeport', 'redis'],
    );
    assert.match(list.stdout, /^cart +ClusterIP .* broken +target-port-missing +-$/m);

    const plugins = await run('kubectl', ['plugin', 'list', '--name-only'], { env });
    assert.deepEqual(
      plugins.stdout.split('\n').filter((line) => line.startsWith('kubectl-')).sort(),
      ['kubectl-krew', 'kubectl-svc_explain', 'kubectl-svc_trace'],
    );
  });
});
