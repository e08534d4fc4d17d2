#!/usr/bin/env node
// The real krew and validate-krew-manifest for the packaging tests, built from the Go module proxy
// and cached outside the checkout, keyed by version:
//
//   ${SVC_TRACE_TOOLS_CACHE:-~/.cache/svc-trace-tools}/krew-v0.5.0/bin/{krew,validate-krew-manifest}
//
// Prints that bin directory. `go install sigs.k8s.io/krew/cmd/krew@v0.5.0` would be the obvious
// way, but it asks the proxy for krew's version list (to look for deprecations), which the proxy
// refuses for this module (403); a throwaway module that requires krew v0.5.0 builds the same code.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

export const krewVersion = 'v0.5.0';
const suffix = process.platform === 'win32' ? '.exe' : '';

export function toolsDirectory() {
  const cache = process.env.SVC_TRACE_TOOLS_CACHE || path.join(homedir(), '.cache', 'svc-trace-tools');
  return path.join(cache, `krew-${krewVersion}`, 'bin');
}

export function krewTools() {
  const bin = toolsDirectory();
  return { bin, krew: path.join(bin, `krew${suffix}`), validate: path.join(bin, `validate-krew-manifest${suffix}`) };
}

function go() {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    if (spawnSync(candidate, ['version'], { encoding: 'utf8' }).status === 0) return candidate;
  }
  throw new Error('go is not installed (looked on PATH and in /usr/local/go/bin)');
}

function run(command, args, cwd) {
  const env = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.error?.message})`);
}

export function ensureKrewTools() {
  const tools = krewTools();
  if (existsSync(tools.krew) && existsSync(tools.validate)) return tools;
  const goBinary = go();
  const work = mkdtempSync(path.join(tmpdir(), 'svc-trace-krew-'));
  try {
    writeFileSync(path.join(work, 'go.mod'), `module svc-trace-tools\n\ngo 1.24\n\nrequire sigs.k8s.io/krew ${krewVersion}\n`);
    writeFileSync(
      path.join(work, 'tools.go'),
      '//go:build tools\n\npackage tools\n\nimport (\n\t_ "sigs.k8s.io/krew/cmd/krew"\n\t_ "sigs.k8s.io/krew/cmd/validate-krew-manifest"\n)\n',
    );
    process.stderr.write(`krew-tools: building krew ${krewVersion} into ${tools.bin}\n`);
    run(goBinary, ['mod', 'tidy'], work);
    const stage = path.join(work, 'bin');
    mkdirSync(stage);
    run(
      goBinary,
      [
        'build',
        '-trimpath',
        '-ldflags',
        `-s -w -X sigs.k8s.io/krew/internal/version.gitTag=${krewVersion}`,
        '-o',
        `${stage}${path.sep}`,
        'sigs.k8s.io/krew/cmd/krew',
        'sigs.k8s.io/krew/cmd/validate-krew-manifest',
      ],
      work,
    );
    mkdirSync(path.dirname(tools.bin), { recursive: true });
    rmSync(tools.bin, { recursive: true, force: true });
    renameSync(stage, tools.bin); // all or nothing: a failed build leaves no half-filled cache
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return tools;
}

if (process.argv[1]?.endsWith('krew-tools.mjs')) {
  try {
    console.log(ensureKrewTools().bin);
  } catch (error) {
    process.stderr.write(`krew-tools: ${error.message}\n`);
    process.exitCode = 1;
  }
}
