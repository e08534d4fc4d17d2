// What the packaging tests share: where the release archive and the tools are, and how to run an
// executable with exactly the environment a test gives it (no inherited PATH, HOME or KUBECONFIG),
// or — for tools that reach the network, such as npm — the machine's environment with a few changes.
//
// The archive comes from `npm run package` and the krew tools from
// `node scripts/package/krew-tools.mjs`; `npm run test:package` runs both first. Tests that need
// something missing are skipped with the reason and the command that provides it.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Platform {
  os: 'linux' | 'darwin' | 'windows';
  arch: 'amd64' | 'arm64';
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

// A module of scripts/package (plain JavaScript, so imported by path rather than compiled).
export async function packageScript<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(path.resolve('scripts/package', name)).href)) as T;
}

export const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

export function localPlatform(): Platform {
  const os = ({ linux: 'linux', darwin: 'darwin', win32: 'windows' } as const)[process.platform as 'linux' | 'darwin' | 'win32'];
  const arch = ({ x64: 'amd64', arm64: 'arm64' } as const)[process.arch as 'x64' | 'arm64'];
  return { os, arch };
}

export function archiveName(platform: Platform = localPlatform()): string {
  return `svc-trace-${version}-${platform.os}-${platform.arch}.${platform.os === 'windows' ? 'zip' : 'tar.gz'}`;
}

export const archivePath = path.resolve('dist-release', archiveName());

// A reason to skip, said out loud on stderr (once) as well as in the test report.
const said = new Set<string>();
function loudly(reason: string): string {
  if (!said.has(reason)) process.stderr.write(`\n*** packaging tests skipped: ${reason}\n\n`);
  said.add(reason);
  return reason;
}

// Why the tests of the archive cannot run, or undefined when they can.
export function archiveMissing(): string | undefined {
  if (existsSync(archivePath)) return undefined;
  return loudly(`no release archive dist-release/${archiveName()}: build it with npm run package (or run npm run test:package)`);
}

const toolsCache = process.env.SVC_TRACE_TOOLS_CACHE || path.join(os.homedir(), '.cache', 'svc-trace-tools');
export const krewBin = path.join(toolsCache, 'krew-v0.5.0', 'bin');

export function toolsMissing(): string | undefined {
  if (existsSync(path.join(krewBin, 'krew')) && existsSync(path.join(krewBin, 'validate-krew-manifest'))) return undefined;
  return loudly(`krew v0.5.0 is not built in ${krewBin}: run node scripts/package/krew-tools.mjs (or npm run test:package)`);
}

export function buildMissing(): string | undefined {
  if (existsSync(path.resolve('dist/src/cli/main.js')) && existsSync(path.resolve('dist/commands/index.js'))) return undefined;
  return loudly('no build in dist/: run npm run build (or npm run test:package)');
}

// The cluster build's kubectl (test/cluster/versions.env), else the system's.
export function kubectlPath(): string | undefined {
  const built = spawnSync('bash', ['-c', 'source test/cluster/versions.env && echo "$CACHE/bin/kubectl"'], { encoding: 'utf8' }).stdout.trim();
  if (built && existsSync(built)) return built;
  return existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : undefined;
}

// Where `command` resolves on a PATH, as a shell would find it.
export function whichOn(pathValue: string, command: string): string | undefined {
  for (const directory of pathValue.split(path.delimiter)) {
    const candidate = path.join(directory, command);
    if (directory && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function temporaryDirectory(t: { after: (fn: () => Promise<void>) => void }, prefix: string): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), `svc-trace-${prefix}-`));
  t.after(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

// The machine's environment with `changes` applied: for tools that need its network settings
// (proxies, CA bundles, npmrc) while the test changes only what it means to.
export function inherited(changes: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return { ...env, ...changes };
}

export async function run(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number },
): Promise<Result> {
  const child = spawn(command, args, { cwd: options.cwd ?? process.cwd(), env: options.env, stdio: 'pipe' });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 120_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  const said = Buffer.concat(stderr).toString('utf8');
  const killed = timedOut ? `\n(${path.basename(command)} was killed after ${timeoutMs / 1000} s without finishing)` : '';
  return { code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: said + killed };
}

export function describeResult(result: Result): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}
