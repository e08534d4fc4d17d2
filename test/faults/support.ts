// Faults as a user meets them: the built executable against a fake API server on 127.0.0.1 that
// misbehaves (test/support/apiserver.ts `fault`), with the exit code, the first line of stderr, and
// how long it took — checked against a generous bound (a CI gate must end; this is no benchmark).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { kubeconfigFor, startApiServer, type FakeApiServer, type ScenarioOptions } from '../support/apiserver.js';
import { run, type Result, type Sandbox } from '../commands/run.js';

export interface Timed extends Result {
  seconds: number;
  firstLine: string;
}

export interface FaultSession {
  server: FakeApiServer;
  kubeconfig: string;
  // Runs kubectl-svc_trace with these arguments (and this kubeconfig).
  trace: (...args: string[]) => Promise<Timed>;
}

export async function timed(args: string[], box: Sandbox, kubeconfig: string): Promise<Timed> {
  const started = performance.now();
  const result = await run(args, { home: box.home, kubeconfig });
  return { ...result, seconds: (performance.now() - started) / 1000, firstLine: result.stderr.split('\n')[0] ?? '' };
}

// The healthy scenario's server (shop/web and friends) with `fault` in front; `user` replaces the
// kubeconfig's token user (an exec plugin, say).
export async function withFault(
  box: Sandbox,
  fault: ScenarioOptions['fault'],
  body: (session: FaultSession) => Promise<void>,
  user?: (server: FakeApiServer) => string | Promise<string>,
): Promise<void> {
  const server = await startApiServer('healthy', { fault });
  try {
    let text = kubeconfigFor(server);
    if (user) text = text.replace(/ {4}user:\n {6}token: .*\n/, `    user:\n${await user(server)}`);
    const kubeconfig = await box.kubeconfig(text, `fault-${server.url.split(':').at(-1)}.yaml`);
    await body({ server, kubeconfig, trace: (...args) => timed(args, box, kubeconfig) });
  } finally {
    await server.close();
  }
}

// A credential plugin: a shell script in the sandbox, run by path.
export async function plugin(box: Sandbox, name: string, script: string): Promise<string> {
  const file = path.join(box.home, name);
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  return file;
}

// The user section of a kubeconfig for an exec plugin (kubeconfig YAML, indented for `users[].user`).
export function execUser(command: string, apiVersion = 'client.authentication.k8s.io/v1'): string {
  return ['      exec:', `        apiVersion: ${apiVersion}`, `        command: ${command}`, '        interactiveMode: Never', ''].join('\n');
}

// An ExecCredential as a plugin prints it.
export function execCredential(token: string, apiVersion = 'client.authentication.k8s.io/v1', expirationTimestamp?: string): string {
  return JSON.stringify({ apiVersion, kind: 'ExecCredential', status: { token, ...(expirationTimestamp ? { expirationTimestamp } : {}) } });
}

// Runs the executable on a pseudo-terminal (util-linux `script`), reads until `until` shows up or
// `seconds` pass, then ends it. The output is what a user sees on the terminal (stdout and stderr).
export async function onTerminal(args: string[], box: Sandbox, kubeconfig: string, until: RegExp, seconds: number): Promise<string> {
  const guard = pathToFileURL(path.resolve('dist/test/commands/loopback-only.js')).href;
  const command = [process.execPath, '--import', guard, path.resolve('bin/kubectl-svc_trace.js'), ...args].map(quote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: box.home, KUBECONFIG: kubeconfig, TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const seen = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (until.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  await seen;
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  return output.replace(/\r\n/g, '\n');
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

// `script` (util-linux) gives a command a terminal; without it the terminal tests are skipped, loudly.
export function hasScript(): boolean {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

export function assertBounded(result: Timed, maxSeconds: number): void {
  assert.ok(result.seconds < maxSeconds, `took ${result.seconds.toFixed(1)}s, more than the bound of ${maxSeconds}s:\n${result.stderr}`);
}
