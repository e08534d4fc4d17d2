// The release archive is byte-reproducible: building the same checkout again (into another
// directory) gives the same sha256 as the archive `npm run package` made, so the sha256 in a krew
// manifest matches what a user builds. And the build writes the manifests of its own archive, with
// that sha256, for the README's local install.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { archiveMissing, archiveName, archivePath, temporaryDirectory } from './support.js';

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

describe('the release archive', { skip: archiveMissing() ?? false }, () => {
  test('two builds of one checkout give the same bytes, and the krew manifests beside it carry its sha256', { timeout: 15 * 60_000 }, async (t) => {
    const out = await temporaryDirectory(t, 'reproducible');
    const build = spawnSync(process.execPath, ['scripts/package/build.mjs', '--out', out], { encoding: 'utf8', timeout: 14 * 60_000 });
    assert.equal(build.status, 0, build.stderr);
    const again = path.join(out, archiveName());
    const digest = await sha256(archivePath);
    assert.equal(await sha256(again), digest, `dist-release/${archiveName()} and a second build of it differ`);
    assert.equal(await readFile(`${again}.sha256`, 'utf8'), await readFile(`${archivePath}.sha256`, 'utf8'));

    for (const manifest of [path.join(out, 'krew-manifest.yaml'), path.join(out, 'krew', 'svc-explain.yaml')]) {
      const platforms = (parse(await readFile(manifest, 'utf8')) as { spec: { platforms: Array<{ uri: string; sha256: string }> } }).spec.platforms;
      assert.deepEqual(platforms.map((p) => [path.basename(p.uri), p.sha256]), [[archiveName(), digest]], manifest);
    }
  });
});
