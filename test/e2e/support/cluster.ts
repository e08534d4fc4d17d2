// The real control plane for the end-to-end suite: started (or reused) by test/cluster/up.sh, and
// the plugin installed the way a user has it — its executables on PATH, called through kubectl.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Cluster {
  kubeconfig: string;
  binDir: string; // the cluster's kubectl and friends
  env: NodeJS.ProcessEnv; // PATH with the plugin first, KUBECONFIG set
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const repo = path.resolve('.');

// Starts the cluster. Where it cannot be built, CI fails and a developer's run skips loudly.
export function startCluster(): Cluster | { skip: string } {
  const up = spawnSync('bash', ['test/cluster/up.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 45 * 60_000 });
  const line = up.stdout?.split('\n').find((l) => l.startsWith('export KUBECONFIG='));
  if (up.status !== 0 || !line) {
    const reason = `the local control plane could not be started (test/cluster/up.sh exited ${up.status}); see its output above`;
    if (process.env.CI) throw new Error(reason);
    return { skip: `SKIPPED: ${reason}` };
  }
  const kubeconfig = line.slice('export KUBECONFIG='.length).trim();
  const binDir = path.dirname(
    spawnSync('bash', ['-c', 'source test/cluster/versions.env && echo "$CACHE/bin/kubectl"'], { encoding: 'utf8' }).stdout.trim(),
  );
  // The plugin as npm installs it: executables named kubectl-svc_trace / kubectl-svc_explain on PATH.
  const pluginDir = path.join(mkdtempSync(path.join(tmpdir(), 'svc-trace-e2e-')), 'bin');
  mkdirSync(pluginDir);
  for (const executable of ['kubectl-svc_trace', 'kubectl-svc_explain']) {
    symlinkSync(path.join(repo, 'bin', `${executable}.js`), path.join(pluginDir, executable));
  }
  const nodeDir = path.dirname(process.execPath); // Node 24, which the plugin needs
  const env = {
    ...process.env,
    PATH: [pluginDir, nodeDir, binDir, process.env.PATH].join(path.delimiter),
    KUBECONFIG: kubeconfig,
    NO_COLOR: '1',
  };
  return { kubeconfig, binDir, env };
}

export function run(cluster: Cluster, command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? cluster.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export async function kubectl(cluster: Cluster, args: string[], input?: string): Promise<string> {
  const result = await run(cluster, 'kubectl', args, { input });
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

// Retries `attempt` until `done` accepts its result or the time is up; returns the last result.
export async function eventually<T>(attempt: () => Promise<T>, done: (value: T) => boolean, seconds = 45): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await attempt();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
