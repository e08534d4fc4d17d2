#!/usr/bin/env node
// `npm run package`: the self-contained executable for this machine's platform and its release
// archive, for krew (which installs an archive, not Node):
//
//   dist-release/svc-trace-<version>-<os>-<arch>.tar.gz   (.zip on Windows)
//   dist-release/svc-trace-<version>-<os>-<arch>.tar.gz.sha256
//
// holding kubectl-svc_trace, kubectl-svc_explain (the same executable under the name it answers
// to), LICENSE, README.md and THIRD_PARTY_LICENSES.txt. Work files go to dist-release/build/.
// Beside them, the krew manifests of this archive (dist-release/krew-manifest.yaml and
// dist-release/krew/svc-explain.yaml), for `kubectl krew install --manifest=... --archive=...`.
//
// Byte-reproducible: two builds of one checkout give the same archive (fixed mtimes, owners and
// file order; a code cache V8 writes the same way each time, see code-cache.mjs). The archive holds
// README.md and takes its time from the last commit, so another commit gives another sha256.
//
//   node scripts/package/build.mjs [--out DIR]    (default dist-release)

import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { entry, writeArchive } from './archive.mjs';
import { bundle, clientChunk } from './bundle.mjs';
import { recordCodeCache } from './code-cache.mjs';
import { platformChecksums, plugins, renderManifest } from './krew-manifests.mjs';
import { thirdPartyLicenses } from './licenses.mjs';
import { archiveName, executableNames, localPlatform } from './platforms.mjs';
import { makeExecutable, nodeLicense, pinnedNode } from './sea.mjs';

const repository = path.resolve(import.meta.dirname, '..', '..');
const { values: flags } = parseArgs({ options: { out: { type: 'string' } } });
const out = path.resolve(flags.out ?? path.join(repository, 'dist-release'));

function log(message) {
  process.stderr.write(`package: ${message}\n`);
}

// A path as the log shows it: from the checkout when it is inside.
function shown(file) {
  const relative = path.relative(repository, file);
  return relative.startsWith('..') ? file : relative;
}

// Archive timestamps: SOURCE_DATE_EPOCH, else the last commit, not the time of the build.
function archiveTime() {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  const commit = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: repository, encoding: 'utf8' });
  return Number(commit.stdout?.trim()) || Math.floor(Date.now() / 1000);
}

function check(executable, pjson) {
  const expected = `${pjson.name}/${pjson.version} `;
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0 || !result.stdout.startsWith(expected)) {
    throw new Error(`the built executable does not run: --version gave ${JSON.stringify(result.stdout + result.stderr)} (status ${result.status})`);
  }
  return result.stdout.trim();
}

async function main() {
  const pjson = JSON.parse(await readFile(path.join(repository, 'package.json'), 'utf8'));
  const platform = localPlatform();
  const names = executableNames(platform.os);
  const work = path.join(out, 'build', `${platform.os}-${platform.arch}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });

  const node = pinnedNode(repository);
  log(`platform ${platform.os}/${platform.arch}, Node ${node.version} (${node.binary})`);

  const bundleFile = path.join(work, 'svc-trace.cjs');
  const started = Date.now();
  const metafile = await bundle({ repository, pjson, outfile: bundleFile });
  log(`bundle ${((await stat(bundleFile)).size / 1024 / 1024).toFixed(1)} MiB in ${Date.now() - started} ms`);

  const codeCacheFile = path.join(work, 'svc-trace.code-cache');
  const cacheSize = recordCodeCache({ node: node.binary, repository, bundleFile, output: codeCacheFile });
  log(`code cache ${(cacheSize / 1024 / 1024).toFixed(1)} MiB`);

  const executable = path.join(work, names.trace);
  const clientFile = path.join(work, clientChunk);
  await makeExecutable({ node: node.binary, bundleFile, clientFile, codeCacheFile, workDirectory: work, output: executable });
  log(`executable ${((await stat(executable)).size / 1024 / 1024).toFixed(1)} MiB: ${check(executable, pjson)}`);

  const licenses = path.join(work, 'THIRD_PARTY_LICENSES.txt');
  const license = nodeLicense(repository, node.binary);
  if (!license) log(`warning: Node.js's LICENSE file not found near ${node.binary}; THIRD_PARTY_LICENSES.txt links to it instead`);
  await writeFile(licenses, thirdPartyLicenses({ repository, metafile, node: { version: node.version, license } }));

  const binary = await entry(names.trace, executable, 0o755);
  const name = archiveName(pjson.version, platform);
  const { digest, size } = await writeArchive({
    file: path.join(out, name),
    name,
    mtime: archiveTime(),
    entries: [
      binary,
      { ...binary, name: names.explain }, // krew extracts regular files only: a copy, not a link
      await entry('LICENSE', path.join(repository, 'LICENSE')),
      await entry('README.md', path.join(repository, 'README.md')),
      await entry('THIRD_PARTY_LICENSES.txt', licenses),
    ],
  });
  log(`archive ${shown(path.join(out, name))} ${(size / 1024 / 1024).toFixed(1)} MiB sha256 ${digest}`);

  // The manifests of this very archive (the committed ones are the release's, for its URIs).
  const archives = await platformChecksums({ version: pjson.version, dist: out, platforms: [platform] });
  for (const plugin of plugins) {
    const file = path.join(out, plugin.output);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, renderManifest(await readFile(path.join(repository, plugin.template), 'utf8'), { plugin, version: pjson.version, archives }));
  }
  log(`krew manifests ${plugins.map((plugin) => shown(path.join(out, plugin.output))).join(', ')}`);
}

main().catch((error) => {
  process.stderr.write(`package: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});
