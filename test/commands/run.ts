// Runs the real executables (bin/kubectl-svc_trace.js, bin/kubectl-svc_explain.js, which load the
// build in dist/) as a user would: a child process with a clean environment — HOME in a fresh
// temporary directory, KUBECONFIG only when a test gives one — and the loopback guard preloaded.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  executable?: 'trace' | 'explain';
  home: string;
  kubeconfig?: string;
  env?: Record<string, string>;
  stdin?: string;
  // Ctrl-C for a command that runs until stopped (-w): SIGINT when it aborts.
  signal?: AbortSignal;
}

// The line loopback-only.ts writes when it refuses a connection.
const marker = 'loopback guard: refused';
const guard = pathToFileURL(path.join(import.meta.dirname, 'loopback-only.js')).href;
const timeoutMs = 30_000;

export async function run(args: string[], options: RunOptions): Promise<Result> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.home, ...options.env };
  if (options.kubeconfig !== undefined) env.KUBECONFIG = options.kubeconfig;
  const executable = path.resolve('bin', `kubectl-svc_${options.executable ?? 'trace'}.js`);
  const child = spawn(process.execPath, ['--import', guard, executable, ...args], { cwd: process.cwd(), env, stdio: 'pipe' });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.end(options.stdin ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  options.signal?.addEventListener('abort', () => child.kill('SIGINT'), { once: true });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(timer));
  const result = { code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
  assert.ok(!result.stderr.includes(marker), `svc-trace ${args.join(' ')} tried to leave the loopback range:\n${result.stderr}`);
  return result;
}

// A fresh HOME (with no ~/.kube) for one test file; `kubeconfig` writes a file in it and returns its path.
export interface Sandbox {
  home: string;
  kubeconfig: (text: string, name?: string) => Promise<string>;
  remove: () => Promise<void>;
}

export async function sandbox(): Promise<Sandbox> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'svc-trace-home-'));
  return {
    home,
    kubeconfig: async (text, name = 'kubeconfig.yaml') => {
      const file = path.join(home, name);
      await writeFile(file, text, { mode: 0o600 });
      return file;
    },
    remove: () => rm(home, { recursive: true, force: true }),
  };
}

// Error output as svc-trace promises it: `error: ...` and `hint: ...`, one line each, no stack trace.
export function errorLines(result: Result): { error: string; hint: string } {
  const lines = result.stderr.trimEnd().split('\n');
  if (lines.length !== 2 || !lines[0]!.startsWith('error: ') || !lines[1]!.startsWith('hint: ')) {
    assert.fail(`expected "error: ..." and "hint: ..." on stderr, got:\n${result.stderr}`);
  }
  return { error: lines[0]!.slice('error: '.length), hint: lines[1]!.slice('hint: '.length) };
}
