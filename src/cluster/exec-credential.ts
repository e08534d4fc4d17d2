// Exec credential plugins (how EKS, GKE and AKS log in), run natively by the ExecCredential protocol
// that kubectl speaks (client-go's plugin/pkg/client/auth/exec): the command with its args and env
// plus KUBERNETES_EXEC_INFO, stdin and the terminal only in interactive mode, the ExecCredential it
// prints checked against the apiVersion the kubeconfig asks for, the credential cached until its
// expirationTimestamp and dropped on a 401. Unlike kubectl, every run is bounded: a plugin that
// hangs is killed, and the error says which one and after how long.
//
// Why not @kubernetes/client-node's exec support: importing the library costs most of a second on
// every command (see the README's Performance section), and it neither bounds a plugin nor checks
// the apiVersion of what the plugin returns.

import { spawn } from 'node:child_process';
import { DeadlineError, SvcTraceError, clusterError } from '../errors.js';
import type { Credential, CredentialSource } from './gateway.js';

export const execApiVersions = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

// users[].user.exec, as written in the kubeconfig.
export interface ExecConfig {
  command?: string;
  args?: string[] | null;
  env?: { name: string; value: string }[] | null;
  apiVersion?: string;
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
}

// spec.cluster of KUBERNETES_EXEC_INFO, sent when the kubeconfig says provideClusterInfo.
export interface ExecClusterInfo {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  config?: unknown;
}

export interface ExecPluginOptions {
  exec: ExecConfig;
  userName: string;
  cluster?: ExecClusterInfo;
  // How long one run may take; a run that takes longer is killed.
  timeoutMs: number;
  // Says what sets the limit, for the hint (e.g. `--request-timeout`).
  timeoutFlag: string;
  // Is svc-trace's stdin a terminal (interactive mode lets the plugin use it).
  stdinIsTerminal: boolean;
  environment: Record<string, string | undefined>;
}

interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

// What the user's exec section must say before the plugin is ever run (kubectl refuses the same).
export function checkExecConfig(exec: ExecConfig, userName: string): void {
  const where = `the exec section of user "${userName}"`;
  const fix = 'fix the kubeconfig; `kubectl config view --minify` shows the user';
  if (!exec.command) throw clusterError(`${where} has no command`, fix);
  if (!exec.apiVersion || !(execApiVersions as readonly string[]).includes(exec.apiVersion)) {
    throw clusterError(
      `${where} asks for ${exec.apiVersion ? `apiVersion ${exec.apiVersion}` : 'no apiVersion'}; kubectl and svc-trace speak ${execApiVersions.join(' and ')}`,
      `set apiVersion to the version the plugin speaks (its documentation says which); ${fix}`,
    );
  }
  if (exec.apiVersion === 'client.authentication.k8s.io/v1' && !exec.interactiveMode) {
    throw clusterError(`${where} has no interactiveMode, which ${exec.apiVersion} requires`, `set interactiveMode: Never, IfAvailable or Always; ${fix}`);
  }
  if (exec.interactiveMode && !['Never', 'IfAvailable', 'Always'].includes(exec.interactiveMode)) {
    throw clusterError(`${where} has interactiveMode ${exec.interactiveMode}`, `use Never, IfAvailable or Always; ${fix}`);
  }
}

export class ExecPlugin implements CredentialSource {
  private cached?: { credential: Credential; expiresAt?: number };
  private running?: Promise<Credential>;

  constructor(private readonly options: ExecPluginOptions) {
    checkExecConfig(options.exec, options.userName);
  }

  get(signal?: AbortSignal): Promise<Credential> {
    const cached = this.cached;
    if (cached && (cached.expiresAt === undefined || Date.now() < cached.expiresAt)) return Promise.resolve(cached.credential);
    // Requests issued in parallel share one run of the plugin.
    this.running ??= this.run(signal).finally(() => (this.running = undefined));
    return this.running;
  }

  // A 401: run the plugin again for the next request (a parallel request may have done so already).
  rejected(used: Credential): boolean {
    if (this.cached?.credential === used) this.cached = undefined;
    return true;
  }

  private interactive(): boolean {
    const mode = this.options.exec.interactiveMode ?? 'IfAvailable';
    if (mode === 'Never') return false;
    if (mode === 'Always' && !this.options.stdinIsTerminal) {
      throw clusterError(
        `${this.describe()} needs a terminal (interactiveMode: Always), and standard input is not one`,
        'log in with the plugin on a terminal first, or run svc-trace on a terminal',
      );
    }
    return this.options.stdinIsTerminal;
  }

  private describe(): string {
    return `the credential plugin "${this.options.exec.command}" of user "${this.options.userName}"`;
  }

  private byHand(): string {
    const { command = '', args } = this.options.exec;
    return `run \`${[command, ...(args ?? [])].join(' ')}\` by hand to see what it says`;
  }

  private async run(signal?: AbortSignal): Promise<Credential> {
    const { exec, timeoutMs } = this.options;
    const interactive = this.interactive();
    const execInfo = {
      apiVersion: exec.apiVersion,
      kind: 'ExecCredential',
      spec: { interactive, ...(exec.provideClusterInfo && this.options.cluster ? { cluster: this.options.cluster } : {}) },
    };
    const env: Record<string, string | undefined> = { ...this.options.environment };
    for (const variable of exec.env ?? []) env[variable.name] = variable.value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify(execInfo);
    const started = performance.now();
    const output = await new Promise<string>((resolve, reject) => {
      // Not interactive: its own process group, so that killing it also kills what it started
      // (a shell script's children would otherwise keep its stdout open).
      const child = spawn(exec.command!, exec.args ?? [], {
        env,
        // Interactive: the plugin talks to the user on the terminal. Otherwise what it says on stderr is
        // kept for the error message (one sentence, as every error of svc-trace).
        stdio: [interactive ? 'inherit' : 'ignore', 'pipe', interactive ? 'inherit' : 'pipe'],
        detached: !interactive,
      });
      const chunks: Buffer[] = [];
      const said: Buffer[] = [];
      let settled = false;
      const finish = (error?: SvcTraceError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(Buffer.concat(chunks).toString('utf8'));
      };
      const kill = (): void => {
        try {
          if (child.pid !== undefined) process.kill(interactive ? child.pid : -child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        child.stdout?.destroy();
        child.stderr?.destroy();
        child.unref();
      };
      const timer = setTimeout(() => {
        kill();
        finish(
          clusterError(
            `${this.describe()} did not finish within ${seconds(timeoutMs)}; it was stopped`,
            `${this.byHand()}; ${this.options.timeoutFlag} sets how long svc-trace waits for it`,
          ),
        );
      }, timeoutMs);
      const onAbort = (): void => {
        kill();
        const reason = signal?.reason instanceof Error ? signal.reason.message : 'the command ended';
        finish(
          new DeadlineError(
            `${this.describe()} had not finished after ${seconds(performance.now() - started)} when ${reason}; it was stopped`,
            this.byHand(),
          ),
        );
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => said.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        kill();
        const hint = exec.installHint?.trim() || `install it, or check the command of user "${this.options.userName}" in the kubeconfig`;
        if (error.code === 'ENOENT') finish(clusterError(`${this.describe()} was not found`, hint));
        else finish(clusterError(`${this.describe()} could not be started (${error.code ?? error.message})`, this.byHand()));
      });
      child.on('close', (code, killedBy) => {
        if (code === 0) return finish();
        const how = code === null ? `was killed by ${killedBy}` : `failed with exit code ${code}`;
        const lastLine = Buffer.concat(said).toString('utf8').trim().split('\n').at(-1)?.trim().slice(0, 300) ?? '';
        finish(clusterError(`${this.describe()} ${how}${lastLine === '' ? '' : `: ${lastLine}`}`, this.byHand()));
      });
    });
    return this.parse(output);
  }

  private parse(output: string): Credential {
    const broken = (why: string): SvcTraceError => clusterError(`${this.describe()} ${why}`, this.byHand());
    let document: { apiVersion?: string; kind?: string; status?: ExecCredentialStatus | null };
    try {
      document = JSON.parse(output) as typeof document;
    } catch {
      throw broken('printed something that is not an ExecCredential (not JSON)');
    }
    if (document === null || typeof document !== 'object' || document.kind !== 'ExecCredential') {
      throw broken('printed JSON that is not an ExecCredential');
    }
    const asked = this.options.exec.apiVersion;
    if (document.apiVersion !== asked) {
      throw clusterError(
        `${this.describe()} returned an ExecCredential of ${document.apiVersion ?? 'no apiVersion'}, but the kubeconfig asks for ${asked}`,
        `kubectl refuses it too: set users[].user.exec.apiVersion to the version the plugin speaks, or update the plugin`,
      );
    }
    const status = document.status;
    if (!status || typeof status !== 'object') throw broken('returned an ExecCredential without a status');
    const hasCertificate = Boolean(status.clientCertificateData) || Boolean(status.clientKeyData);
    if (hasCertificate && !(status.clientCertificateData && status.clientKeyData)) {
      throw broken('returned only one of clientCertificateData and clientKeyData');
    }
    if (!status.token && !hasCertificate) throw broken('returned neither a token nor a client certificate and key');
    const credential: Credential = status.token
      ? { headers: { Authorization: `Bearer ${status.token}` } }
      : { cert: status.clientCertificateData, key: status.clientKeyData };
    let expiresAt: number | undefined;
    if (status.expirationTimestamp) {
      expiresAt = Date.parse(status.expirationTimestamp);
      if (Number.isNaN(expiresAt)) throw broken(`returned an expirationTimestamp that is not a time: ${status.expirationTimestamp}`);
    }
    this.cached = { credential, ...(expiresAt === undefined ? {} : { expiresAt }) };
    return credential;
  }
}

function seconds(milliseconds: number): string {
  return milliseconds >= 1000 ? `${Math.round(milliseconds / 100) / 10}s` : `${Math.round(milliseconds)}ms`;
}
