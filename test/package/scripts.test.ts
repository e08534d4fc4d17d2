// The packaging scripts on their own, without a release build: the archives they write open with
// the usual tools, the krew manifests take each platform's sha256 from where it is, and the bundle
// they make is one CommonJS script that runs — tree output (ink, yoga's WebAssembly) included.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import vm from 'node:vm';
import { parse } from 'yaml';
import { archiveName, packageScript, temporaryDirectory, version, type Platform } from './support.js';

interface Entry {
  name: string;
  data: Buffer;
  mode: number;
}

interface ArchiveModule {
  writeArchive(options: { file: string; name: string; entries: Entry[]; mtime: number }): Promise<{ digest: string; size: number }>;
}

interface KrewModule {
  platformChecksums(options: { version: string; dist: string; checksums?: string; platforms: Platform[] }): Promise<Array<Platform & { sha256: string }>>;
  renderManifest(template: string, options: { plugin: { name: string; template: string }; version: string; archives: Array<Platform & { archive: string; sha256: string }> }): string;
  plugins: Array<{ name: string; template: string; output: string }>;
}

interface PluginsModule {
  lazyRequire(source: string, specifier: string): string | undefined;
}

interface BundleModule {
  shareWrapperKeys(code: string): string;
  asciiOnly(code: string): string;
  bundle(options: { repository: string; pjson: unknown; outfile: string }): Promise<unknown>;
}

const executable = Buffer.from('#!/bin/sh\necho svc-trace\n');
const license = Buffer.from('MIT License\n');
const entries: Entry[] = [
  { name: 'kubectl-svc_trace', data: executable, mode: 0o755 },
  { name: 'kubectl-svc_explain', data: executable, mode: 0o755 },
  { name: 'LICENSE', data: license, mode: 0o644 },
];

function tool(command: string): boolean {
  return spawnSync(command, ['--version'], { encoding: 'utf8' }).error === undefined;
}

describe('release archives', () => {
  test('a tar.gz holds regular files at its top with their modes, and its .sha256 line is right', async (t) => {
    const directory = await temporaryDirectory(t, 'archive');
    const name = 'svc-trace-0.0.1-linux-amd64.tar.gz';
    const file = path.join(directory, name);
    const { digest } = await writeArchive(file, name);

    const listing = spawnSync('tar', ['-tvzf', file], { encoding: 'utf8' });
    assert.equal(listing.status, 0, listing.stderr);
    const lines = listing.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^-rwxr-xr-x .* kubectl-svc_trace$/);
    assert.match(lines[1]!, /^-rwxr-xr-x .* kubectl-svc_explain$/);
    assert.match(lines[2]!, /^-rw-r--r-- .* LICENSE$/);

    const out = path.join(directory, 'out');
    await mkdir(out);
    assert.equal(spawnSync('tar', ['-xzf', file, '-C', out]).status, 0);
    assert.deepEqual(await readFile(path.join(out, 'kubectl-svc_explain')), executable);
    assert.equal(((await stat(path.join(out, 'kubectl-svc_trace'))).mode & 0o777).toString(8), '755');

    const sha256 = createHash('sha256').update(await readFile(file)).digest('hex');
    assert.equal(digest, sha256);
    assert.equal(await readFile(`${file}.sha256`, 'utf8'), `${sha256}  ${name}\n`, 'the format sha256sum -c reads');
  });

  test('a zip (Windows) extracts with unzip, executables keeping their mode', { skip: tool('unzip') ? false : 'unzip is not installed' }, async (t) => {
    const directory = await temporaryDirectory(t, 'archive');
    const name = 'svc-trace-0.0.1-windows-amd64.zip';
    const file = path.join(directory, name);
    await writeArchive(file, name);

    const test = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    assert.equal(test.status, 0, test.stdout + test.stderr);
    const out = path.join(directory, 'out');
    assert.equal(spawnSync('unzip', ['-q', file, '-d', out]).status, 0);
    assert.deepEqual(await readFile(path.join(out, 'kubectl-svc_trace')), executable);
    assert.deepEqual(await readFile(path.join(out, 'LICENSE')), license);
    assert.equal(((await stat(path.join(out, 'kubectl-svc_trace'))).mode & 0o777).toString(8), '755');
  });
});

async function writeArchive(file: string, name: string): Promise<{ digest: string }> {
  const { writeArchive: write } = await packageScript<ArchiveModule>('archive.mjs');
  return write({ file, name, entries, mtime: 1_750_000_000 });
}

describe('krew manifests', () => {
  const linux: Platform = { os: 'linux', arch: 'amd64' };
  const mac: Platform = { os: 'darwin', arch: 'arm64' };

  test('each platform takes the sha256 of its archive when it is here, else its line in the checksums file', async (t) => {
    const { platformChecksums } = await packageScript<KrewModule>('krew-manifests.mjs');
    const dist = await temporaryDirectory(t, 'dist');
    const archive = Buffer.from('the linux archive');
    await writeFile(path.join(dist, archiveName(linux)), archive);
    const checksums = path.join(dist, 'checksums.txt');
    const macSha = 'a'.repeat(64);
    await writeFile(checksums, `${'b'.repeat(64)}  ${archiveName(linux)}\n${macSha} *${archiveName(mac)}\n`);

    const found = await platformChecksums({ version, dist, checksums, platforms: [linux, mac] });
    assert.deepEqual(
      found.map((f) => [f.os, f.sha256]),
      [
        ['linux', createHash('sha256').update(archive).digest('hex')], // the file wins over a stale line
        ['darwin', macSha],
      ],
    );
  });

  test('a platform with neither archive nor checksum line is an error that names its archive', async (t) => {
    const { platformChecksums } = await packageScript<KrewModule>('krew-manifests.mjs');
    const dist = await temporaryDirectory(t, 'dist');
    await assert.rejects(
      platformChecksums({ version, dist, platforms: [linux, mac] }),
      new RegExp(`${archiveName(linux).replaceAll('.', '\\.')}, ${archiveName(mac).replaceAll('.', '\\.')}`),
    );
  });

  test('svc-trace and svc-explain come from the same archive and each installs its own executable', async () => {
    const { renderManifest, plugins } = await packageScript<KrewModule>('krew-manifests.mjs');
    const archives = [
      { ...linux, archive: archiveName(linux), sha256: '1'.repeat(64) },
      { os: 'windows' as const, arch: 'amd64' as const, archive: archiveName({ os: 'windows', arch: 'amd64' }), sha256: '2'.repeat(64) },
    ];
    const manifests = await Promise.all(
      plugins.map(async (plugin) => parse(renderManifest(await readFile(plugin.template, 'utf8'), { plugin, version, archives }))),
    );
    for (const [index, manifest] of manifests.entries()) {
      assert.equal(manifest.metadata.name, plugins[index]!.name);
      assert.equal(manifest.spec.version, `v${version}`);
      assert.deepEqual(
        manifest.spec.platforms.map((p: { uri: string }) => p.uri),
        [
          `https://github.com/svc-trace/svc-trace/releases/download/v${version}/svc-trace-${version}-linux-amd64.tar.gz`,
          `https://github.com/svc-trace/svc-trace/releases/download/v${version}/svc-trace-${version}-windows-amd64.zip`,
        ],
      );
    }
    const [trace, explain] = manifests;
    assert.deepEqual(
      trace.spec.platforms.map((p: { bin: string }) => p.bin),
      ['kubectl-svc_trace', 'kubectl-svc_trace.exe'],
    );
    assert.deepEqual(
      explain.spec.platforms.map((p: { bin: string }) => p.bin),
      ['kubectl-svc_explain', 'kubectl-svc_explain.exe'],
    );
    assert.ok(
      trace.spec.platforms[0].files.some((f: { from: string }) => f.from === 'LICENSE'),
      'krew wants the license installed with the plugin',
    );
  });
});

describe('bundle rewrites', () => {
  test('a module oclif requires at its top is loaded on first use, and behaves the same', async () => {
    const { lazyRequire } = await packageScript<PluginsModule>('plugins.mjs');
    const source = [
      '"use strict";',
      'const tinyglobby_1 = require("tinyglobby");',
      'exports.find = () => (0, tinyglobby_1.glob)("*.js");',
    ].join('\n');
    const rewritten = lazyRequire(source, 'tinyglobby');
    assert.ok(rewritten);

    const loads: string[] = [];
    const fakeRequire = (name: string) => {
      loads.push(name);
      return { glob: (pattern: string) => [`found ${pattern}`] };
    };
    const module = { exports: {} as { find: () => string[] } };
    vm.runInNewContext(rewritten, { require: fakeRequire, exports: module.exports, module });
    assert.deepEqual(loads, [], 'not loaded by the module itself');
    assert.deepEqual(module.exports.find(), ['found *.js']);
    assert.deepEqual(module.exports.find(), ['found *.js']);
    assert.deepEqual(loads, ['tinyglobby'], 'loaded once, on first use');
  });

  test('a module that is used other than by member access is left alone', async () => {
    const { lazyRequire } = await packageScript<PluginsModule>('plugins.mjs');
    const source = 'const minimatch_1 = require("minimatch");\nexports.matcher = minimatch_1;\n';
    assert.equal(lazyRequire(source, 'minimatch'), undefined);
  });

  test('every module wrapper shares one key; a wrapper that cannot be rewritten fails the build', async () => {
    const { shareWrapperKeys } = await packageScript<BundleModule>('bundle.mjs');
    const code = 'var a=__commonJS({"node_modules/a/index.js"(exports,module){module.exports=1}});var b=__esm({"src/b.ts"(){}});';
    assert.equal(shareWrapperKeys(code), 'var a=__commonJS({m(exports,module){module.exports=1}});var b=__esm({m(){}});');
    assert.throws(() => shareWrapperKeys('var a=__commonJS({["computed"](){}});'), /rewrote 0 of 1 module wrappers/);
  });

  test('the bundle is ASCII: a character esbuild leaves in a regular expression becomes \\u, an escaped one fails the build', async () => {
    const { asciiOnly } = await packageScript<BundleModule>('bundle.mjs');
    const code = 'var d=/(ns|\u00b5s)/y,s="\\\\\u2014";';
    const ascii = asciiOnly(code);
    assert.equal(ascii, 'var d=/(ns|\\u00b5s)/y,s="\\\\\\u2014";');
    const evaluate = (source: string) => new Function(`${source}; return [d.test('\u00b5s'), s];`)() as [boolean, string];
    assert.deepEqual(evaluate(ascii), evaluate(code), 'the same pattern and the same string');
    assert.throws(() => asciiOnly('var s="\\\u00e9"'), /escaped non-ASCII character/);
  });
});

describe('the bundle', () => {
  test('is one CommonJS script that draws the tree (ink and yoga loaded without top-level await)', async (t) => {
    const { bundle } = await packageScript<BundleModule>('bundle.mjs');
    const directory = await temporaryDirectory(t, 'bundle');
    const outfile = path.join(directory, 'svc-trace.cjs');
    await bundle({ repository: process.cwd(), pjson: JSON.parse(await readFile('package.json', 'utf8')), outfile });
    await chmod(outfile, 0o644);

    const tree = spawnSync(process.execPath, [outfile, 'cart', '-f', 'examples/shop', '-n', 'shop', '-o', 'tree', '--color', 'never'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: directory },
    });
    assert.equal(tree.status, 1, `a broken Service exits 1\n${tree.stderr}`);
    assert.match(tree.stdout, /^╭─+╮$/m);
    assert.match(tree.stdout, /✖ backend {3}1 pod\(s\), no container port resolved/);
    assert.match(tree.stdout, /target-port-missing/);

    const help = spawnSync(process.execPath, [outfile, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: directory } });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^ {2}\$ kubectl svc-trace \[SERVICE\] \[flags\]$/m, 'the commands and help class came with the bundle');
  });
});
