// From kubeconfig to a ready Gateway, by kubectl's rules (client-go's clientcmd):
// --kubeconfig alone, else every file of KUBECONFIG merged (the first file to name a cluster, user
// or context wins, and the first current-context wins), else ~/.kube/config, else the in-cluster
// service account. --context overrides current-context; the namespace is --namespace, else the
// context's, else `default`. Relative paths in a file are relative to that file, as kubectl has them.
//
// Plain credentials (tokens, client certificates, basic auth) become node:https options right here;
// exec credential plugins run natively (exec-credential.ts). Auth providers (OIDC...) and proxies go
// through @kubernetes/client-node's KubeConfig.applyToHTTPSOptions, which is loaded only then:
// importing it costs most of a second.

import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import type https from 'node:https';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import { SvcTraceError, clusterError, usageError } from '../errors.js';
import { parseDuration } from '../kube/duration.js';
import { requireValidName } from '../kube/names.js';
import { checkExecConfig, ExecPlugin, type ExecClusterInfo, type ExecConfig } from './exec-credential.js';
import { Gateway, deadlineAfter, headerObject, type CredentialSource, type Deadline } from './gateway.js';

export interface ConnectOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  requestTimeout?: string;
  debug?: (line: string) => void;
  // kubectl's --insecure-skip-tls-verify: the server's certificate is not checked (the CA is dropped).
  insecureSkipTlsVerify?: boolean;
  // Told once when a request has waited a few seconds (commands pass a stderr writer on a terminal).
  waiting?: (line: string) => void;
  // Warnings for stderr (the --insecure-skip-tls-verify one).
  warn?: (line: string) => void;
  // A deadline for the whole command (assert --timeout): requests, watches and credential plugins end with it.
  deadline?: { milliseconds: number; flag: string };
}

export interface Connection {
  gateway: Gateway;
  namespace: string;
  context: string;
  server: string;
}

// What kubectl reads from its surroundings; tests pass their own instead of touching the process's.
export interface KubeconfigEnvironment {
  env: Record<string, string | undefined>;
  home?: string;
  serviceAccountDirectory: string;
}

// The kubeconfig entries as written in the file (kubectl's field names).
interface ClusterEntry {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  extensions?: { name?: string; extension?: unknown }[] | null;
}

interface UserEntry {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  as?: string;
  'as-uid'?: string;
  'as-groups'?: string[];
  'as-user-extra'?: Record<string, string[]>;
  exec?: ExecConfig;
  'auth-provider'?: { name?: string; config?: Record<string, string> };
}

interface ContextEntry {
  cluster?: string;
  user?: string;
  namespace?: string;
}

interface MergedKubeconfig {
  files: string[];
  clusters: Map<string, ClusterEntry>;
  users: Map<string, UserEntry>;
  contexts: Map<string, ContextEntry>;
  currentContext?: string;
}

// What connect settles on before any request: one cluster, one user, one namespace.
interface Selection {
  contextName: string;
  clusterName: string;
  userName: string;
  cluster: ClusterEntry;
  user: UserEntry;
  namespace: string;
}

interface Credentials {
  requestOptions: https.RequestOptions;
  source?: CredentialSource;
}

// Without --request-timeout, a credential plugin gets this long (a human at a terminal longer).
const execTimeoutMs = 60_000;
const interactiveExecTimeoutMs = 300_000;

export function processEnvironment(): KubeconfigEnvironment {
  return {
    env: process.env,
    home: process.env.HOME || homedir() || undefined,
    serviceAccountDirectory: '/var/run/secrets/kubernetes.io/serviceaccount',
  };
}

export async function connect(
  options: ConnectOptions,
  environment: KubeconfigEnvironment = processEnvironment(),
): Promise<Connection> {
  const timeoutMs = options.requestTimeout === undefined ? 0 : parseDuration(options.requestTimeout, '--request-timeout');
  const debug = options.debug ?? (() => {});
  // kubectl treats an empty --kubeconfig as not given.
  const explicit = options.kubeconfig || undefined;
  const files = kubeconfigFiles(explicit, environment);
  const kubeconfig = await loadKubeconfig(files, explicit !== undefined);
  const selection =
    kubeconfig === undefined
      ? inClusterSelection(options, environment, files)
      : selectContext(kubeconfig, options.context, options.namespace);
  if (kubeconfig !== undefined) debug(`kubeconfig: ${kubeconfig.files.join(path.delimiter)}`);

  requireValidName(selection.namespace, 'namespace', options.namespace ? 'namespace (-n)' : `namespace of context "${selection.contextName}"`);
  if (options.insecureSkipTlsVerify) {
    // As kubectl: the flag drops the CA, and it says so.
    const { 'certificate-authority': _file, 'certificate-authority-data': _data, ...cluster } = selection.cluster;
    selection.cluster = { ...cluster, 'insecure-skip-tls-verify': true };
    (options.warn ?? ((line) => process.stderr.write(`${line}\n`)))(
      'warning: --insecure-skip-tls-verify: the API server\'s certificate is not checked; this connection is insecure (anyone on the path can read and change it)',
    );
  }
  const deadline = options.deadline === undefined ? undefined : deadlineAfter(options.deadline.milliseconds, options.deadline.flag);

  const server = serverUrl(selection);
  const credentials = await credentialsFor(selection, server, { timeoutMs, deadline, environment });
  debug(
    `context "${selection.contextName}": cluster "${selection.clusterName}" at ${server.href.replace(/\/$/, '')}, ` +
      `user "${selection.userName}" (${credentialKind(selection)}), namespace "${selection.namespace}"`,
  );
  const gateway = new Gateway({
    server: server.href,
    requestOptions: credentials.requestOptions,
    credentials: credentials.source,
    timeoutMs,
    context: selection.contextName,
    cluster: selection.clusterName,
    debug: options.debug,
    deadline,
    waiting: options.waiting,
  });
  return { gateway, namespace: selection.namespace, context: selection.contextName, server: gateway.server };
}

// --kubeconfig alone; else KUBECONFIG's list (empty entries and repeats dropped); else ~/.kube/config.
function kubeconfigFiles(explicit: string | undefined, environment: KubeconfigEnvironment): string[] {
  if (explicit !== undefined) return [path.resolve(explicit)];
  const list = environment.env.KUBECONFIG;
  if (list !== undefined && list !== '') {
    return [...new Set(list.split(path.delimiter).filter((file) => file !== '').map((file) => path.resolve(file)))];
  }
  return environment.home === undefined ? [] : [path.join(environment.home, '.kube', 'config')];
}

// Reads and merges the files; undefined when none exists. A missing --kubeconfig file is an error,
// a missing file of KUBECONFIG's list is skipped, as kubectl does.
async function loadKubeconfig(files: string[], explicit: boolean): Promise<MergedKubeconfig | undefined> {
  const merged: MergedKubeconfig = { files: [], clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && explicit) {
        throw usageError(`the kubeconfig file ${file} does not exist`, 'pass --kubeconfig the path of a kubeconfig file');
      }
      if (code === 'ENOENT') continue;
      throw clusterError(
        `cannot read the kubeconfig file ${file} (${code ?? 'unknown error'})`,
        'check the file and its permissions',
      );
    }
    merged.files.push(file);
    mergeFile(merged, await parseKubeconfig(text, file), file);
  }
  return merged.files.length === 0 ? undefined : merged;
}

async function parseKubeconfig(text: string, file: string): Promise<Record<string, unknown>> {
  const { parse } = await import('yaml');
  let document: unknown;
  try {
    // kubectl reads kubeconfigs as YAML 1.1 (go-yaml), where `yes` and `off` are booleans.
    document = parse(text, { version: '1.1' });
  } catch (error) {
    const reason = (error instanceof Error ? error.message.split('\n')[0] : String(error)).replace(/:\s*$/, '');
    throw clusterError(
      `the kubeconfig file ${file} does not parse: ${reason}`,
      'fix the file; `kubectl config view` shows what kubectl makes of it',
    );
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw clusterError(
      `the kubeconfig file ${file} is not a kubeconfig (no clusters, users or contexts)`,
      'check which file --kubeconfig or KUBECONFIG names',
    );
  }
  return document as Record<string, unknown>;
}

// The first file to define a name keeps it whole; later definitions of that name are ignored.
function mergeFile(merged: MergedKubeconfig, document: Record<string, unknown>, file: string): void {
  const directory = path.dirname(file);
  for (const [name, cluster] of namedEntries<ClusterEntry>(document, 'clusters', 'cluster', file)) {
    if (!merged.clusters.has(name)) merged.clusters.set(name, resolveClusterPaths(cluster, directory));
  }
  for (const [name, user] of namedEntries<UserEntry>(document, 'users', 'user', file)) {
    if (!merged.users.has(name)) merged.users.set(name, resolveUserPaths(user, directory));
  }
  for (const [name, context] of namedEntries<ContextEntry>(document, 'contexts', 'context', file)) {
    if (!merged.contexts.has(name)) merged.contexts.set(name, context);
  }
  const current = document['current-context'];
  if (merged.currentContext === undefined && typeof current === 'string' && current !== '') {
    merged.currentContext = current;
  }
}

function namedEntries<T>(document: Record<string, unknown>, listKey: string, entryKey: string, file: string): [string, T][] {
  const list = document[listKey];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    throw clusterError(
      `the kubeconfig file ${file} does not parse: "${listKey}" is not a list`,
      'fix the file; `kubectl config view` shows what kubectl makes of it',
    );
  }
  const entries: [string, T][] = [];
  for (const item of list as Record<string, unknown>[]) {
    if (item === null || typeof item !== 'object' || typeof item.name !== 'string') continue;
    const value = item[entryKey];
    entries.push([item.name, (value !== null && typeof value === 'object' ? value : {}) as T]);
  }
  return entries;
}

function resolveClusterPaths(cluster: ClusterEntry, directory: string): ClusterEntry {
  return { ...cluster, 'certificate-authority': resolvePath(cluster['certificate-authority'], directory) };
}

function resolveUserPaths(user: UserEntry, directory: string): UserEntry {
  const resolved: UserEntry = {
    ...user,
    'client-certificate': resolvePath(user['client-certificate'], directory),
    'client-key': resolvePath(user['client-key'], directory),
    tokenFile: resolvePath(user.tokenFile, directory),
  };
  // kubectl resolves an exec command only when it is a path (contains a separator); a bare name is looked up on PATH.
  const command = user.exec?.command;
  if (command !== undefined && (command.includes('/') || command.includes(path.sep))) {
    resolved.exec = { ...user.exec, command: resolvePath(command, directory) };
  }
  return resolved;
}

function resolvePath(file: string | undefined, directory: string): string | undefined {
  if (file === undefined || file === '') return undefined;
  return path.isAbsolute(file) ? file : path.join(directory, file);
}

function selectContext(kubeconfig: MergedKubeconfig, contextFlag?: string, namespaceFlag?: string): Selection {
  const contextName = contextFlag || kubeconfig.currentContext;
  if (contextName === undefined) {
    throw clusterError(`the kubeconfig has no current context`, contextChoiceHint(kubeconfig));
  }
  const context = kubeconfig.contexts.get(contextName);
  if (context === undefined) {
    const message = `context "${contextName}" does not exist in the kubeconfig`;
    throw contextFlag ? usageError(message, contextChoiceHint(kubeconfig)) : clusterError(message, contextChoiceHint(kubeconfig));
  }
  const clusterName = context.cluster ?? '';
  const cluster = kubeconfig.clusters.get(clusterName);
  if (cluster === undefined) {
    throw clusterError(
      clusterName === ''
        ? `context "${contextName}" names no cluster`
        : `context "${contextName}" names cluster "${clusterName}", which the kubeconfig does not define`,
      'fix the context with `kubectl config set-context`, or pick another with --context',
    );
  }
  if (!cluster.server) {
    throw clusterError(
      `cluster "${clusterName}" of context "${contextName}" has no server`,
      'set it with `kubectl config set-cluster NAME --server=https://HOST:PORT`',
    );
  }
  const userName = context.user ?? '';
  const user = userName === '' ? {} : kubeconfig.users.get(userName);
  if (user === undefined) {
    throw clusterError(
      `user "${userName}" of context "${contextName}" is not in the kubeconfig`,
      'fix the context with `kubectl config set-context`, or pick another with --context',
    );
  }
  const namespace = namespaceFlag || context.namespace || 'default';
  return { contextName, clusterName, userName, cluster, user, namespace };
}

function contextChoiceHint(kubeconfig: MergedKubeconfig): string {
  const names = [...kubeconfig.contexts.keys()];
  if (names.length === 0) return 'the kubeconfig defines no context; create one with `kubectl config set-context`';
  const shown = names.slice(0, 10).join(', ') + (names.length > 10 ? ` + ${names.length - 10} more` : '');
  return `pass --context with one of: ${shown}`;
}

// Inside a pod with no kubeconfig, kubectl uses the pod's service account; so does svc-trace.
function inClusterSelection(options: ConnectOptions, environment: KubeconfigEnvironment, lookedFor: string[]): Selection {
  const host = environment.env.KUBERNETES_SERVICE_HOST;
  const port = environment.env.KUBERNETES_SERVICE_PORT;
  const tokenFile = path.join(environment.serviceAccountDirectory, 'token');
  if (options.context || !host || !port || !existsSync(tokenFile)) {
    const where = lookedFor.length === 0 ? 'no home directory to look in' : `looked for ${lookedFor.join(', ')}`;
    throw clusterError(
      'no kubeconfig: set KUBECONFIG or pass --kubeconfig',
      `${where}; kubectl reads the same files (\`kubectl config view\`)`,
    );
  }
  const namespaceFile = path.join(environment.serviceAccountDirectory, 'namespace');
  const podNamespace = existsSync(namespaceFile) ? readTextSync(namespaceFile).trim() : '';
  return {
    contextName: 'in-cluster',
    clusterName: 'in-cluster',
    userName: 'service-account',
    cluster: {
      server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
      'certificate-authority': path.join(environment.serviceAccountDirectory, 'ca.crt'),
    },
    user: { tokenFile },
    namespace: options.namespace || environment.env.POD_NAMESPACE || podNamespace || 'default',
  };
}

// A server without a scheme gets https when TLS is configured, else http, as client-go does.
function serverUrl(selection: Selection): URL {
  const { cluster, user } = selection;
  let server = cluster.server ?? '';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(server)) {
    const tls =
      cluster['certificate-authority'] || cluster['certificate-authority-data'] || cluster['insecure-skip-tls-verify'] ||
      user['client-certificate'] || user['client-certificate-data'];
    server = `${tls ? 'https' : 'http'}://${server}`;
  }
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw clusterError(
      `the server "${cluster.server}" of cluster "${selection.clusterName}" is not an http(s) URL`,
      'set it with `kubectl config set-cluster NAME --server=https://HOST:PORT`',
    );
  }
  url.username = '';
  url.password = '';
  return url;
}

// Auth providers (OIDC...) and proxies need the Kubernetes client library; nothing else does.
function usesClientLibrary(selection: Selection): boolean {
  return Boolean(selection.user['auth-provider'] || selection.cluster['proxy-url']);
}

function credentialKind({ user, cluster }: Selection): string {
  const kinds: string[] = [];
  if (user.exec) kinds.push(`exec plugin ${user.exec.command ?? ''}`.trim());
  if (user['auth-provider']) kinds.push(`auth provider ${user['auth-provider'].name ?? ''}`.trim());
  if (user.token) kinds.push('bearer token');
  else if (user.tokenFile) kinds.push('token file');
  if (user['client-certificate'] || user['client-certificate-data']) kinds.push('client certificate');
  if (user.username) kinds.push('basic auth');
  if (cluster['proxy-url']) kinds.push('through a proxy');
  if (user.as) kinds.push(`impersonating ${user.as}`);
  return kinds.length === 0 ? 'no credentials' : kinds.join(', ');
}

interface CredentialContext {
  timeoutMs: number;
  deadline?: Deadline;
  environment: KubeconfigEnvironment;
}

async function credentialsFor(selection: Selection, server: URL, context: CredentialContext): Promise<Credentials> {
  const exec = selection.user.exec;
  if (exec) checkExecConfig(exec, selection.userName);
  // The exec plugin's credential comes on top of the cluster's TLS options (and a proxy's agent).
  const withoutExec = { ...selection, user: { ...selection.user, exec: undefined } };
  const credentials = usesClientLibrary(selection)
    ? await clientLibraryCredentials(withoutExec, server)
    : { requestOptions: await plainRequestOptions(withoutExec) };
  if (exec) credentials.source = await execPlugin(selection, exec, server, context);
  const impersonation = impersonationHeaders(selection.user);
  credentials.requestOptions.headers = { ...headerObject(credentials.requestOptions.headers), ...impersonation };
  return credentials;
}

async function execPlugin(selection: Selection, exec: ExecConfig, server: URL, context: CredentialContext): Promise<ExecPlugin> {
  const stdinIsTerminal = Boolean(process.stdin.isTTY);
  const interactive = stdinIsTerminal && exec.interactiveMode !== 'Never';
  const timeoutMs = context.timeoutMs > 0 ? context.timeoutMs : interactive ? interactiveExecTimeoutMs : execTimeoutMs;
  const plugin = new ExecPlugin({
    exec,
    userName: selection.userName,
    cluster: exec.provideClusterInfo ? await execClusterInfo(selection, server) : undefined,
    timeoutMs,
    timeoutFlag: '--request-timeout',
    stdinIsTerminal,
    environment: context.environment.env,
  });
  // The first run happens now, so that a broken plugin fails before any request (kubectl's order).
  await plugin.get(context.deadline?.signal);
  return plugin;
}

// What provideClusterInfo hands the plugin (client-go's clientauthentication Cluster).
async function execClusterInfo({ cluster, clusterName }: Selection, server: URL): Promise<ExecClusterInfo> {
  const ca = await material(cluster['certificate-authority-data'], cluster['certificate-authority'], `certificate-authority of cluster "${clusterName}"`);
  const config = (cluster.extensions ?? []).find((entry) => entry?.name === 'client.authentication.k8s.io/exec')?.extension;
  return {
    server: server.href.replace(/\/$/, ''),
    ...(cluster['tls-server-name'] ? { 'tls-server-name': cluster['tls-server-name'] } : {}),
    ...(cluster['insecure-skip-tls-verify'] ? { 'insecure-skip-tls-verify': true } : {}),
    ...(ca ? { 'certificate-authority-data': ca.toString('base64') } : {}),
    ...(cluster['proxy-url'] ? { 'proxy-url': cluster['proxy-url'] } : {}),
    ...(config === undefined ? {} : { config }),
  };
}

// Tokens, token files, client certificates and basic auth, with the cluster's TLS settings.
async function plainRequestOptions({ cluster, user, userName, clusterName }: Selection): Promise<https.RequestOptions> {
  const options: https.RequestOptions = { headers: {} };
  if (cluster['insecure-skip-tls-verify'] === true) options.rejectUnauthorized = false;
  if (cluster['tls-server-name']) options.servername = cluster['tls-server-name'];
  const ofCluster = `of cluster "${clusterName}"`;
  const ofUser = `of user "${userName}"`;
  const ca = await material(cluster['certificate-authority-data'], cluster['certificate-authority'], `certificate-authority ${ofCluster}`);
  if (ca) options.ca = ca;
  const cert = await material(user['client-certificate-data'], user['client-certificate'], `client-certificate ${ofUser}`);
  if (cert) options.cert = cert;
  const key = await material(user['client-key-data'], user['client-key'], `client-key ${ofUser}`);
  if (key) options.key = key;
  // client-go trims the token file, which often ends in a newline.
  const tokenFromFile = user.tokenFile ? (await readCredentialFile(user.tokenFile, `tokenFile ${ofUser}`)).toString('utf8').trim() : '';
  const token = user.token || tokenFromFile;
  if (token) options.headers = { Authorization: `Bearer ${token}` };
  else if (user.username) options.auth = `${user.username}:${user.password ?? ''}`;
  return options;
}

async function material(data: string | undefined, file: string | undefined, what: string): Promise<Buffer | undefined> {
  if (data) return Buffer.from(data, 'base64');
  if (file) return readCredentialFile(file, what);
  return undefined;
}

async function readCredentialFile(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw clusterError(
      `cannot read the ${what}: ${file} (${code})`,
      'fix the path in the kubeconfig; relative paths are relative to the kubeconfig file',
    );
  }
}

function readTextSync(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

// Auth providers and proxies: applied by @kubernetes/client-node, loaded only now.
async function clientLibraryCredentials(selection: Selection, server: URL): Promise<Credentials> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kubeConfig = new KubeConfig();
  // Only the chosen entries: the library refuses a whole file for one odd entry that kubectl would ignore.
  try {
    kubeConfig.loadFromString(
      JSON.stringify({
        clusters: [{ name: 'cluster', cluster: libraryCluster(selection.cluster, server) }],
        users: [{ name: selection.userName || 'user', user: libraryUser(selection.user) }],
        contexts: [{ name: 'context', context: { cluster: 'cluster', user: selection.userName || 'user' } }],
        'current-context': 'context',
      }),
    );
  } catch (error) {
    throw credentialError(error, selection);
  }
  const apply = async (): Promise<https.RequestOptions> => {
    const options: https.RequestOptions = {};
    try {
      await kubeConfig.applyToHTTPSOptions(options);
    } catch (error) {
      throw credentialError(error, selection);
    }
    return options;
  };
  const requestOptions = await apply();
  // Without a proxy, Node's keep-alive global agent (keyed by the TLS options) serves better than a fresh agent.
  if (!selection.cluster['proxy-url']) delete requestOptions.agent;
  if (!selection.user['auth-provider']) return { requestOptions };
  // The library renews an auth provider's token itself when it expires.
  const { Authorization: _authorization, ...staticHeaders } = headerObject(requestOptions.headers);
  requestOptions.headers = staticHeaders;
  return {
    requestOptions,
    source: {
      get: async () => {
        const { Authorization } = headerObject((await apply()).headers);
        return Authorization === undefined ? {} : { headers: { Authorization } };
      },
      rejected: () => false,
    },
  };
}

function libraryCluster(cluster: ClusterEntry, server: URL): ClusterEntry {
  // The library refuses http:// unless TLS checks are off; over plain http there is no TLS to check.
  const plainHttp = server.protocol === 'http:' ? { 'insecure-skip-tls-verify': true } : {};
  return { ...cluster, server: server.href.replace(/\/$/, ''), ...plainHttp };
}

function libraryUser(user: UserEntry): Record<string, unknown> {
  const translated: Record<string, unknown> = { ...user };
  delete translated.exec;
  // kubectl's key is tokenFile; the library reads token-file.
  if (user.tokenFile) translated['token-file'] = user.tokenFile;
  return translated;
}

function credentialError(error: unknown, selection: Selection): SvcTraceError {
  if (error instanceof SvcTraceError) return error;
  const said = (error instanceof Error ? error.message : String(error)).trim().split('\n')[0].slice(0, 300);
  return clusterError(
    `cannot get credentials for user "${selection.userName}" of context "${selection.contextName}"${said ? `: ${said}` : ''}`,
    'log in again, then check that `kubectl auth whoami` works with the same context',
  );
}

function impersonationHeaders(user: UserEntry): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  if (user.as) headers['Impersonate-User'] = user.as;
  if (user['as-uid']) headers['Impersonate-Uid'] = user['as-uid'];
  if (user['as-groups']?.length) headers['Impersonate-Group'] = user['as-groups'];
  for (const [key, values] of Object.entries(user['as-user-extra'] ?? {})) {
    headers[`Impersonate-Extra-${encodeURIComponent(key)}`] = values;
  }
  return headers;
}
