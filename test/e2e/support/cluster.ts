// The real control plane for the end-to-end suite: started (or reused) by test/cluster/up.sh, and
// the plugin installed the way a user has it (support/plugin.ts).

import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test, type TestOptions } from 'node:test';
import { clusterBinDirectory, pluginEnvironment } from './plugin.js';

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
  const binDir = clusterBinDirectory(repo);
  // The plugin of the build this file belongs to (dist/, or an engineer's own out dir).
  const env = { ...pluginEnvironment(repo, path.resolve(import.meta.dirname, '..', '..', '..')), KUBECONFIG: kubeconfig };
  return { kubeconfig, binDir, env };
}

// A suite on the local control plane: BODY gets the cluster. Where it cannot be started (and not in
// CI, where startCluster fails), one test stands in for the suite, skipped with the reason.
export function describeOnCluster(name: string, options: TestOptions, body: (cluster: Cluster) => void): void {
  describe(name, options, () => {
    const started = startCluster();
    if ('skip' in started) {
      test(name, { skip: started.skip }, () => {});
      return;
    }
    body(started);
  });
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

// The command's stdout as JSON, or undefined while it is not (yet) JSON.
export function parseJson<T>(result: Run): T | undefined {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    return undefined;
  }
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

// Runs `work` on every item, at most `size` at a time (each kubectl is a process of its own).
export async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

// A namespace ready for bare Pods: the API server refuses a Pod until the namespace's default
// ServiceAccount exists, which the ServiceAccount controller creates a moment after the namespace.
export async function createNamespace(cluster: Cluster, namespace: string): Promise<void> {
  await kubectl(cluster, ['create', 'namespace', namespace]);
  const account = await eventually(
    () => run(cluster, 'kubectl', ['get', 'serviceaccount', 'default', '-n', namespace]),
    (result) => result.code === 0,
    60,
  );
  if (account.code !== 0) throw new Error(`namespace ${namespace} got no default ServiceAccount: ${account.stderr.trim()}`);
}

export async function waitForPods(cluster: Cluster, namespace: string): Promise<void> {
  const result = await eventually(
    () => run(cluster, 'kubectl', ['wait', '--for=condition=Ready', 'pods', '--all', '-n', namespace, '--timeout=60s']),
    (wait) => wait.code === 0,
    90,
  );
  if (result.code !== 0) throw new Error(`pods of ${namespace} did not become Ready: ${result.stderr.trim()}`);
}

// The names of the pods labelled app=APP, sorted.
export async function podNames(cluster: Cluster, namespace: string, app: string): Promise<string[]> {
  const output = await kubectl(cluster, ['get', 'pods', '-n', namespace, '-l', `app=${app}`, '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}']);
  return output.split('\n').filter((name) => name !== '').sort();
}

// Scenarios hold pods in Terminating with a finalizer; drop those finalizers so that deleting the
// namespaces can finish.
export async function releaseFinalizers(cluster: Cluster, namespaces: string[]): Promise<void> {
  const wanted = new Set(namespaces);
  const list = JSON.parse(await kubectl(cluster, ['get', 'pods', '-A', '-o', 'json'])) as {
    items: Array<{ metadata: { name: string; namespace: string; finalizers?: string[] } }>;
  };
  const held = list.items.filter((pod) => wanted.has(pod.metadata.namespace) && (pod.metadata.finalizers ?? []).length > 0);
  await Promise.all(
    held.map((pod) =>
      run(cluster, 'kubectl', ['patch', 'pod', pod.metadata.name, '-n', pod.metadata.namespace, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']),
    ),
  );
}

// The API server's allocator repair loop (every 3 minutes) may catch a Service between the
// allocation of its ClusterIP or nodePort and its creation, and then records a Warning event on it
// ("... is not allocated; repairing"). svc-trace rightly reports it; a scenario does not expect it.
const repairReasons = new Set(['ClusterIPNotAllocated', 'PortNotAllocated']);

export const isRepairWarning = (message: string): boolean => [...repairReasons].some((reason) => message.includes(`${reason}:`));

export async function dropRepairWarnings(cluster: Cluster, namespaces: string[]): Promise<void> {
  const wanted = new Set(namespaces);
  const events = JSON.parse(await kubectl(cluster, ['get', 'events', '-A', '--field-selector', 'type=Warning', '-o', 'json'])) as {
    items: Array<{ reason?: string; metadata: { name: string; namespace: string } }>;
  };
  const stale = events.items.filter((event) => wanted.has(event.metadata.namespace) && repairReasons.has(event.reason ?? ''));
  await Promise.all(stale.map((event) => run(cluster, 'kubectl', ['delete', 'event', event.metadata.name, '-n', event.metadata.namespace])));
}

// Compares phrases with output that may wrap lines (svc-explain wraps at the terminal width).
export function says(output: string, phrase: string): boolean {
  const flat = (text: string) => text.replace(/\s+/g, ' ');
  return flat(output).includes(flat(phrase));
}

interface AdminConfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
}

// A kubeconfig file for a ServiceAccount of `namespace` (its context's namespace): the admin
// kubeconfig's server and CA, with a fresh token of the account instead of the admin's certificate.
// Returns the token too, so that a test can check it is never printed.
export async function serviceAccountKubeconfig(cluster: Cluster, namespace: string, account: string, file: string): Promise<string> {
  const token = (await kubectl(cluster, ['create', 'token', account, '-n', namespace, '--duration=1h'])).trim();
  const admin = JSON.parse(await kubectl(cluster, ['config', 'view', '--raw', '--minify', '--flatten', '-o', 'json'])) as AdminConfig;
  const { server, 'certificate-authority-data': ca } = admin.clusters[0]!.cluster;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'e2e', cluster: { server, 'certificate-authority-data': ca } }],
    users: [{ name: account, user: { token } }],
    contexts: [{ name: 'reader', context: { cluster: 'e2e', user: account, namespace } }],
    'current-context': 'reader',
  };
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return token;
}
