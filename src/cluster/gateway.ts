// The only module that talks HTTP to the API server: GET, paginated LIST, WATCH (and POST for expose).
// Every failure is translated here, once, into a SvcTraceError with a hint and an exit code.
// It runs on node:http/node:https (not the client library's fetch) so that every request is visible
// to tests at the HTTP level and carries exactly the TLS options and headers the kubeconfig gave.

import http, { STATUS_CODES } from 'node:http';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ApiStatusError, ExitCode, SvcTraceError, clusterError } from '../errors.js';
import type { KubeList } from '../kube/types.js';

export interface GatewayOptions {
  // The cluster's server URL from the kubeconfig, e.g. https://127.0.0.1:6443 (a path prefix is kept).
  server: string;
  // node:https options after KubeConfig.applyToHTTPSOptions: TLS material, Authorization header, agent.
  requestOptions: https.RequestOptions;
  // Budget for one whole request (kubectl's --request-timeout); 0 means none.
  timeoutMs: number;
  // The kubeconfig context, named in error messages and hints.
  context: string;
  // One line per request; never carries headers, tokens or certificates.
  debug?: (line: string) => void;
  // Items per LIST page (the `limit` query parameter); kubectl uses 500 too.
  pageSize?: number;
  // Fresh credential headers before each request, for credentials that expire (exec plugins, OIDC).
  refreshHeaders?: () => Promise<OutgoingHttpHeaders>;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

// The metav1.Status the API server sends with every error (and as the object of a watch ERROR event).
export interface ApiStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string };
  code?: number;
}

export interface ListResult<T> {
  items: T[];
  // The list's resourceVersion: where a watch that follows this list starts.
  resourceVersion: string;
}

type Query = Record<string, string>;

interface Exchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const jsonMediaType = 'application/json';
const userAgent = 'svc-trace';
// Go's dialer gives up on a TCP connect after 30s; so does svc-trace when --request-timeout is 0.
const connectTimeoutMs = 30_000;
// client-go retries a 429, or a 5xx that says Retry-After, up to 10 times; a CLI waits less.
const maxRetries = 3;
const maxRetryWaitMs = 10_000;

// A timeout that svc-trace itself enforced, told apart from the socket errors Node raises.
class RequestTimeout extends Error {
  constructor(readonly phase: 'connect' | 'request', readonly afterMs: number) {
    super(`${phase} timeout after ${afterMs}ms`);
  }
}

export class Gateway {
  readonly server: string;
  readonly context: string;
  private readonly url: URL;
  private readonly transport: typeof http | typeof https;
  private readonly requestOptions: https.RequestOptions;
  private readonly timeoutMs: number;
  private readonly pageSize: number;
  private readonly debug: (line: string) => void;
  private readonly refreshHeaders?: () => Promise<OutgoingHttpHeaders>;
  private requests = 0;

  constructor(options: GatewayOptions) {
    this.url = new URL(options.server);
    this.url.username = '';
    this.url.password = '';
    this.server = displayServer(this.url);
    this.context = options.context;
    this.transport = this.url.protocol === 'http:' ? http : https;
    this.requestOptions = options.requestOptions;
    this.timeoutMs = options.timeoutMs;
    this.pageSize = options.pageSize ?? 500;
    this.debug = options.debug ?? (() => {});
    this.refreshHeaders = options.refreshHeaders;
  }

  // Number of HTTP requests sent so far (retries and pages included).
  get requestCount(): number {
    return this.requests;
  }

  async get<T>(path: string, query?: Query, accept?: string): Promise<T> {
    return this.parse<T>(await this.exchange('GET', path, query, accept), 'GET', path);
  }

  // Every item of a collection, following `metadata.continue` page by page.
  async list<T>(path: string, query?: Query, accept?: string): Promise<T[]> {
    return (await this.listWithResourceVersion<T>(path, query, accept)).items;
  }

  // The same, with the list's resourceVersion for a watch to start from. A `limit` in the query overrides the page size.
  async listWithResourceVersion<T>(path: string, query: Query = {}, accept?: string): Promise<ListResult<T>> {
    const items: T[] = [];
    let resourceVersion = '';
    let continueToken = '';
    do {
      const pageQuery: Query = { limit: String(this.pageSize), ...query };
      if (continueToken !== '') pageQuery.continue = continueToken;
      let page: KubeList<T>;
      try {
        page = await this.get<KubeList<T>>(path, pageQuery, accept);
      } catch (error) {
        // The continue token expired mid-list (etcd compaction): start over with one full list, as client-go's pager does.
        if (continueToken !== '' && error instanceof ApiStatusError && error.status === 410) {
          const full = await this.get<KubeList<T>>(path, query, accept);
          return { items: full.items ?? [], resourceVersion: full.metadata?.resourceVersion ?? '' };
        }
        throw error;
      }
      if (resourceVersion === '') resourceVersion = page.metadata?.resourceVersion ?? '';
      for (const item of page.items ?? []) items.push(item);
      continueToken = page.metadata?.continue ?? '';
    } while (continueToken !== '');
    return { items, resourceVersion };
  }

  // POST an object (expose creates a Service; `dryRun=All` in the query validates without creating).
  async post<T>(path: string, body: unknown, query?: Query): Promise<T> {
    return this.parse<T>(await this.exchange('POST', path, query, undefined, JSON.stringify(body)), 'POST', path);
  }

  // Streams watch events until the server closes the watch or the signal aborts.
  // The query carries resourceVersion (where to start); bookmarks are asked for unless the caller says otherwise.
  // `onOpen` is called once the server has accepted the watch (a 2xx answer).
  async watch<T>(
    path: string,
    query: Query,
    onEvent: (event: WatchEvent<T>) => void,
    signal: AbortSignal,
    onOpen?: () => void,
  ): Promise<void> {
    if (signal.aborted) return;
    const watchQuery: Query = { allowWatchBookmarks: 'true', ...query, watch: '1' };
    const target = this.target(path, watchQuery);
    const options = await this.optionsFor('GET', target, undefined);
    if (signal.aborted) return; // aborted while credentials were refreshed

    return new Promise<void>((resolve, reject) => {
      // --request-timeout bounds the wait for the watch to start, not the life of the stream.
      const { request, started, stopTimer, causeOf } = this.open(options);
      let settled = false;
      // Ends the watch once; the request is torn down unless the server already ended it cleanly
      // (a finished request's socket may be back in the agent's pool, serving someone else).
      const settle = (outcome: { error?: unknown; ended?: boolean } = {}): void => {
        if (settled) return;
        settled = true;
        stopTimer();
        signal.removeEventListener('abort', onAbort);
        if (!outcome.ended) request.destroy();
        if (outcome.error === undefined) resolve();
        else reject(outcome.error);
      };
      const onAbort = (): void => settle();
      signal.addEventListener('abort', onAbort, { once: true });

      request.on('error', (cause) => {
        if (settled) return;
        const error = causeOf(cause);
        this.debug(`GET ${target} failed: ${describeCause(error)} ${elapsed(started)}`);
        settle({ error: this.networkError(error, 'GET', path) });
      });
      request.on('response', (response) => {
        stopTimer();
        const status = response.statusCode ?? 0;
        this.debug(`GET ${target} ${status} ${elapsed(started)} (watch)`);
        if (status < 200 || status > 299) {
          readBody(response).then(
            (body) => settle({ error: this.statusError({ status, headers: response.headers, body }, 'GET', path) }),
            (error: unknown) => settle({ error: this.networkError(error, 'GET', path) }),
          );
          return;
        }
        onOpen?.();
        const deliver = (line: string): void => {
          if (settled || line.trim() === '') return;
          let event: WatchEvent<T>;
          try {
            event = JSON.parse(line) as WatchEvent<T>;
          } catch {
            settle({ error: clusterError(`the watch on ${path} sent a line that is not JSON`, this.clusterHint()) });
            return;
          }
          try {
            onEvent(event);
          } catch (error) {
            settle({ error });
          }
        };
        const stream = decoded(response);
        stream.setEncoding('utf8');
        let buffered = '';
        stream.on('data', (chunk: string) => {
          buffered += chunk;
          let newline = buffered.indexOf('\n');
          while (newline !== -1 && !settled) {
            deliver(buffered.slice(0, newline));
            buffered = buffered.slice(newline + 1);
            newline = buffered.indexOf('\n');
          }
        });
        stream.on('end', () => {
          deliver(buffered);
          settle({ ended: true });
        });
        // The server or the network dropped the stream: the watch is over; the caller decides whether to watch again.
        stream.on('error', () => settle());
        response.on('close', () => {
          if (!response.complete) settle();
        });
      });
      request.end();
    });
  }

  // Where and how to open a streaming upgrade (forward's port-forward websockets): the URL, and the
  // TLS material, credential headers and agent every request of this gateway carries. The caller
  // makes the request; it counts as one.
  async upgradeRequest(path: string, query: Query): Promise<{ url: URL; target: string; options: https.RequestOptions }> {
    const target = this.target(path, query);
    const { headers = {}, ...options } = await this.optionsFor('GET', target, undefined);
    const { Accept: _accept, 'Accept-Encoding': _encoding, ...upgradeHeaders } = headerObject(headers);
    delete options.hostname;
    delete options.port;
    delete options.path;
    delete options.method;
    delete options.protocol;
    this.requests += 1;
    return { url: new URL(target, this.url.origin), target, options: { ...options, headers: upgradeHeaders } };
  }

  // One request and its whole response body, retried when the server asks to be retried.
  private async exchange(method: string, path: string, query?: Query, accept?: string, body?: string): Promise<Exchange> {
    const target = this.target(path, query);
    for (let attempt = 0; ; attempt += 1) {
      const result = await this.send(method, target, path, accept, body);
      const waitMs = retryWaitMs(result, method, attempt);
      if (waitMs === undefined) return result;
      this.debug(`${method} ${target}: retrying in ${waitMs}ms, as the server asked`);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  private async send(method: string, target: string, path: string, accept?: string, body?: string): Promise<Exchange> {
    const options = await this.optionsFor(method, target, accept, body);
    return new Promise<Exchange>((resolve, reject) => {
      const { request, started, stopTimer, causeOf } = this.open(options);
      let settled = false;
      const fail = (cause: unknown): void => {
        if (settled) return;
        settled = true;
        stopTimer();
        const error = causeOf(cause);
        this.debug(`${method} ${target} failed: ${describeCause(error)} ${elapsed(started)}`);
        reject(this.networkError(error, method, path));
      };
      request.on('error', fail);
      request.on('response', (response) => {
        readBody(response).then((text) => {
          if (settled) return;
          settled = true;
          stopTimer();
          const status = response.statusCode ?? 0;
          this.debug(`${method} ${target} ${status} ${elapsed(started)}`);
          resolve({ status, headers: response.headers, body: text });
        }, fail);
      });
      request.end(body);
    });
  }

  private parse<T>(exchange: Exchange, method: string, path: string): T {
    if (exchange.status < 200 || exchange.status > 299) throw this.statusError(exchange, method, path);
    try {
      return JSON.parse(exchange.body) as T;
    } catch {
      throw clusterError(
        `the server of context "${this.context}" at ${this.server} answered ${method} ${path} with something that is not JSON`,
        `check that ${this.server} is a Kubernetes API server and that \`kubectl --context ${this.context} cluster-info\` works`,
      );
    }
  }

  // Path plus query string, as sent and as shown in --debug lines: /api/v1/pods?labelSelector=app%3Dweb
  private target(path: string, query?: Query): string {
    const prefix = this.url.pathname.replace(/\/+$/, '');
    const search = new URLSearchParams(query ?? {}).toString();
    return `${prefix}${path}${search === '' ? '' : `?${search}`}`;
  }

  private async optionsFor(method: string, target: string, accept?: string, body?: string): Promise<https.RequestOptions> {
    const credentialHeaders = this.refreshHeaders ? await this.refreshHeaders() : {};
    const headers: OutgoingHttpHeaders = {
      ...headerObject(this.requestOptions.headers),
      ...credentialHeaders,
      Accept: accept ?? jsonMediaType,
      'Accept-Encoding': 'gzip',
      'User-Agent': userAgent,
    };
    if (body !== undefined) {
      headers['Content-Type'] = jsonMediaType;
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    return {
      ...this.requestOptions,
      protocol: this.url.protocol,
      // URL keeps IPv6 hosts in brackets; node:net wants them bare.
      hostname: this.url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.url.port === '' ? undefined : Number(this.url.port),
      method,
      path: target,
      headers,
    };
  }

  // Gives up on a TCP connect that hangs (a firewalled address) when no --request-timeout bounds it.
  // One request on the wire: counted, guarded while it connects, and bounded by --request-timeout
  // until `stopTimer`. `causeOf` names the timeout as the cause when the timer destroyed the request.
  private open(options: https.RequestOptions): { request: ClientRequest; started: number; stopTimer: () => void; causeOf: (cause: unknown) => unknown } {
    const started = performance.now();
    this.requests += 1;
    const request = this.transport.request(options);
    let timedOut: RequestTimeout | undefined;
    const timer =
      this.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = new RequestTimeout('request', this.timeoutMs);
            request.destroy(timedOut);
          }, this.timeoutMs)
        : undefined;
    this.guardConnect(request);
    return { request, started, stopTimer: () => clearTimeout(timer), causeOf: (cause) => timedOut ?? cause };
  }

  private guardConnect(request: ClientRequest): void {
    if (this.timeoutMs > 0) return;
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => request.destroy(new RequestTimeout('connect', connectTimeoutMs)), connectTimeoutMs);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
  }

  private clusterHint(): string {
    return `check that the cluster is running and \`kubectl --context ${this.context} cluster-info\` works`;
  }

  private networkError(error: unknown, method: string, path: string): SvcTraceError {
    if (error instanceof SvcTraceError) return error;
    const where = `the cluster of context "${this.context}" at ${this.server}`;
    if (error instanceof RequestTimeout) {
      const within = formatMilliseconds(error.afterMs);
      return error.phase === 'connect'
        ? clusterError(`${where} did not accept a connection within ${within}`, this.clusterHint())
        : clusterError(
            `${where} did not answer ${method} ${path} within ${within}`,
            `${this.clusterHint()}; raise --request-timeout if the cluster is just slow`,
          );
    }
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    switch (code) {
      case 'ECONNREFUSED':
        return clusterError(`cannot reach ${where}: connection refused`, this.clusterHint());
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return clusterError(
          `cannot reach ${where}: the host name ${this.url.hostname} does not resolve`,
          `check the server of the context in your kubeconfig and your DNS; ${this.clusterHint()}`,
        );
      case 'ETIMEDOUT':
        return clusterError(`cannot reach ${where}: the connection timed out`, this.clusterHint());
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return clusterError(`cannot reach ${where}: no route to the host`, this.clusterHint());
      case 'ECONNRESET':
        return clusterError(`cannot reach ${where}: the connection was closed before an answer came`, this.clusterHint());
    }
    if (isTlsFailure(code)) {
      return clusterError(
        `cannot reach ${where}: TLS failed (${message})`,
        `check the certificate-authority and client certificate of the context in your kubeconfig; ${this.clusterHint()}`,
      );
    }
    return clusterError(`cannot reach ${where}: ${message}`, this.clusterHint());
  }

  private statusError(exchange: Exchange, method: string, path: string): ApiStatusError {
    const { status } = exchange;
    const apiStatus = parseStatus(exchange.body);
    const reason = apiStatus?.reason || STATUS_CODES[status] || 'Unknown';
    const answered = `answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
    const said = apiStatus?.message ?? plainText(exchange.body);
    switch (status) {
      case 401:
        return new ApiStatusError(
          `the cluster rejected the credentials of context "${this.context}"`,
          'log in again or renew the credentials of the context\'s user, ' +
            `then check that \`kubectl --context ${this.context} auth whoami\` works`,
          ExitCode.cluster,
          status,
          reason,
        );
      case 403:
        return new ApiStatusError(
          said ?? `${method} ${path} is forbidden for the user of context "${this.context}"`,
          `check what the user may do with \`kubectl --context ${this.context} auth can-i --list\``,
          ExitCode.cluster,
          status,
          reason,
        );
      case 404:
        return new ApiStatusError(
          said ?? `the API server ${answered} for ${method} ${path}`,
          'check the name, the namespace and the context',
          ExitCode.notFound,
          status,
          reason,
        );
      default:
        return new ApiStatusError(
          `the API server of context "${this.context}" ${answered} to ${method} ${path}${said === undefined ? '' : `: ${said}`}`,
          this.clusterHint(),
          ExitCode.cluster,
          status,
          reason,
          apiStatus?.message,
        );
    }
  }
}

// Milliseconds to wait before a retry the server asked for (429, or 5xx with Retry-After), or undefined.
function retryWaitMs(exchange: Exchange, method: string, attempt: number): number | undefined {
  if (method !== 'GET' || attempt >= maxRetries) return undefined;
  const retryAfter = Number(exchange.headers['retry-after']);
  if (!(exchange.status === 429 || exchange.status >= 500) || !Number.isFinite(retryAfter) || retryAfter < 0) {
    return undefined;
  }
  return Math.min(retryAfter * 1000, maxRetryWaitMs);
}

// Request options may carry headers as a raw [name, value, ...] list; svc-trace only builds objects.
export function headerObject(headers: https.RequestOptions['headers']): OutgoingHttpHeaders {
  return headers === undefined || isRawHeaderList(headers) ? {} : headers;
}

function isRawHeaderList(headers: NonNullable<https.RequestOptions['headers']>): headers is readonly string[] {
  return Array.isArray(headers);
}

function decoded(response: IncomingMessage): Readable {
  return response.headers['content-encoding'] === 'gzip' ? response.pipe(createGunzip()) : response;
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of decoded(response)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseStatus(body: string): ApiStatus | undefined {
  try {
    const value = JSON.parse(body) as ApiStatus;
    return value !== null && typeof value === 'object' && value.kind === 'Status' ? value : undefined;
  } catch {
    return undefined;
  }
}

// A short plain-text body (`404 page not found`) is worth quoting; an HTML error page is not.
function plainText(body: string): string | undefined {
  const text = body.trim();
  return text !== '' && text.length <= 200 && !text.includes('\n') && !text.startsWith('<') ? text : undefined;
}

const tlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

function isTlsFailure(code: string): boolean {
  return tlsCodes.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

function describeCause(error: unknown): string {
  if (error instanceof RequestTimeout) return `${error.phase} timeout`;
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

function elapsed(started: number): string {
  return `${Math.round(performance.now() - started)}ms`;
}

function formatMilliseconds(milliseconds: number): string {
  return milliseconds >= 1000 && milliseconds % 100 === 0 ? `${milliseconds / 1000}s` : `${milliseconds}ms`;
}

function displayServer(url: URL): string {
  return url.href.replace(/\/$/, '');
}
