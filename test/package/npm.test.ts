// The npm route: `npm pack` of this checkout, `npm install -g --prefix` of the tarball, and both
// executables on that prefix's PATH with Node 24 — what the README's Install section promises.

import assert from 'node:assert/strict';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildMissing, describeResult, inherited, kubectlPath, run, temporaryDirectory, version, whichOn } from './support.js';

const node24 = path.dirname(process.execPath);
const npm = whichOn(process.env.PATH ?? '', 'npm');
const skip = buildMissing() ?? (npm ? false : 'npm is not on PATH');

describe('npm pack and a global install', { skip }, () => {
  test('put kubectl-svc_trace and kubectl-svc_explain on PATH, and kubectl finds them', async (t) => {
    const directory = await temporaryDirectory(t, 'npm');
    const home = path.join(directory, 'home');
    await mkdir(home);
    // npm keeps the machine's environment — its TLS settings (NODE_EXTRA_CA_CERTS, ...), HOME and
    // with it the user's and the global npmrc, npm_config_cache — and only puts Node 24 first on
    // PATH, as npm scripts have it. The prefix below is what the test changes. Retries are short so
    // that an unreachable registry fails in about a minute with npm's own words, not a silent hang.
    const npmEnv = inherited({
      PATH: [node24, process.env.PATH].join(path.delimiter),
      npm_config_fetch_retries: '1',
      npm_config_fetch_retry_maxtimeout: '10000',
    });

    const packed = await run(npm!, ['pack', '--pack-destination', directory, '--silent'], { env: npmEnv });
    assert.equal(packed.code, 0, describeResult(packed));
    const tarball = path.join(directory, `svc-trace-${version}.tgz`);
    assert.ok((await readdir(directory)).includes(path.basename(tarball)), describeResult(packed));

    const prefix = path.join(directory, 'prefix');
    const installed = await run(npm!, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      env: npmEnv,
      timeoutMs: 180_000,
    });
    assert.equal(installed.code, 0, describeResult(installed));

    const bin = path.join(prefix, 'bin');
    const env = { PATH: [bin, node24].join(path.delimiter), HOME: home };
    const trace = await run('kubectl-svc_trace', ['--help'], { env });
    assert.equal(trace.code, 0, describeResult(trace));
    assert.match(trace.stdout, /^ {2}\$ kubectl svc-trace \[SERVICE\] \[flags\]$/m);
    const explain = await run('kubectl-svc_explain', ['--help'], { env });
    assert.equal(explain.code, 0, describeResult(explain));
    assert.match(explain.stdout, /^ {2}\$ kubectl svc-explain SERVICE \[flags\]$/m);

    const kubectl = kubectlPath();
    if (kubectl) {
      const tools = path.join(directory, 'tools');
      await mkdir(tools);
      await symlink(kubectl, path.join(tools, 'kubectl'));
      const list = await run('kubectl', ['svc-trace', '-f', 'examples/shop', '-n', 'shop'], { env: { ...env, PATH: [bin, node24, tools].join(path.delimiter) } });
      assert.equal(list.code, 0, describeResult(list));
      assert.match(list.stdout, /^cart +ClusterIP .* broken +target-port-missing +-$/m);
    } else {
      t.diagnostic('no kubectl: the kubectl svc-trace step was left out');
    }
  });
});
