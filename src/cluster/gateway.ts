// The only module that talks HTTP to the API server: GET, paginated LIST, WATCH (and POST for expose).
// Every failure is translated once, into a SvcTraceError with a hint and an exit code (api-errors.ts).
// It runs on node:http/node:https (not the client library's fetch) so that every request is visible
// to tests at the HTTP level and carries exactly the TLS options and headers the kubeconfig gave.

import http from 'node:http';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import tls from 'node:tls';
import { createGunzip } from 'node:zlib';
import { ApiStatusError, clusterError } from '../errors.js';
import { CallerAborted, DeadlinePassed, ErrorTranslator, RequestTimeout, describeCause, type Exchange } from './api-errors.js';
import type { KubeList } from '../kube/types.js';
import { readListPage } from './list-page.js';

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
  // Credentials that expire (exec plugins, OIDC): asked before each request, told about a 401.
  credentials?: CredentialSource;
  // The command's deadline (assert --timeout): when it passes, every request and plugin run ends.
  deadline?: Deadline;
  // Told once, when a request has waited a few seconds for an answer (on a terminal: one stderr line).
  waiting?: (line: string) => void;
  // The kubeconfig cluster, named in TLS hints.
  cluster?: string;
  // Without --request-timeout: how long a request may hear nothing at all before it is given up,
  // and how long a TLS handshake may take (kubectl's 10s).
  silenceTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  // How many keep-alive connections GET, LIST and POST share (watches have their own); default 3.
  connections?: number;
}

// What a request authenticates with, besides the kubeconfig's static options.
export interface Credential {
  headers?: OutgoingHttpHeaders;
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface CredentialSource {
  // The credential for the next request (cached while it is valid). `signal` ends a plugin run.
  get(signal?: AbortSignal): Promise<Credential>;
  // The API server answered 401 to `used`: forget it; true when a fresh one is worth one retry.
  rejected(used: Credential): boolean;
}

// A deadline for the whole command: its signal aborts when `flag` (e.g. `--timeout 3s`) runs out.
export interface Deadline {
  signal: AbortSignal;
  flag: string;
}

// Per call: `signal` ends this request (the caller's own reason is what it rejects with).
export interface CallOptions {
  signal?: AbortSignal;
}

// Per list: `fields` turns each item into what the caller keeps of it, page by page as the pages
// arrive (list mode keeps only the fields the analysis reads), so that whole pages never pile up.
export interface ListOptions<T> extends CallOptions {
  fields?: (item: T) => T;
}

// A Deadline that passes `milliseconds` from now; its timer never keeps the process alive.
export function deadlineAfter(milliseconds: number, flag: string): Deadline {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error(`${flag} ran out`)), milliseconds).unref();
  return { signal: controller.signal, flag };
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

export type { ApiStatus } from './api-errors.js';

export interface ListResult<T> {
  items: T[];
  // The list's resourceVersion: where a watch that follows this list starts.
  resourceVersion: string;
}

type Query = Record<string, string>;

// A successful answer's body read as it streams (a LIST page), instead of as one text.
type BodyReader = (body: Readable) => Promise<unknown>;
type Received = Exchange & { read?: unknown };

const jsonMediaType = 'application/json';
const userAgent = 'svc-trace';
// Go's dialer gives up on a TCP connect after 30s; so does svc-trace when --request-timeout is 0.
const connectTimeoutMs = 30_000;
// kube-apiserver ends every request within its own --request-timeout (1m by default): a server that
// says nothing at all for longer is not serving. Only without --request-timeout; not for open watches.
const defaultSilenceTimeoutMs = 60_000;
// Go's net/http gives a TLS handshake 10s.
const defaultHandshakeTimeoutMs = 10_000;
// After this long without an answer, `waiting` is told (once per command).
const waitingNoticeMs = 3_000;
// A list that pages on and on (a server that always sends a continue token) stops here: at the
// default page size, 500,000 objects — far more than any real list, far less than a runaway.
const maxPages = 1_000;
// client-go retries a 429, or a 5xx that says Retry-After, up to 10 times; a CLI waits less.
const maxRetries = 3;
const maxRetryWaitMs = 10_000;
// A trace sends about a dozen requests, nearly all at once: three connections carry them in four
// round trips each. Each connection costs the process a TLS handshake (resumed, but ~1 ms of CPU
// all the same) and the client is what the time waits on: measured, 3 took less CPU and wall time
// than 4 (and 4 than 6); 2 less CPU still, but more wall time.
const defaultConnections = 3;

export class Gateway {
  readonly server: string;
  readonly context: string;
  private readonly url: URL;
  private readonly transport: typeof http | typeof https;
  private readonly requestOptions: https.RequestOptions;
  private readonly timeoutMs: number;
  // Items per LIST page.
  readonly pageSize: number;
  private readonly debug: (line: string) => void;
  private readonly credentials?: CredentialSource;
  private readonly deadline?: Deadline;
  private readonly waiting?: (line: string) => void;
  private readonly cluster?: string;
  private readonly silenceTimeoutMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly errors: ErrorTranslator;
  // The command's own keep-alive pools (not Node's global agent, which has no limit): one for
  // requests that end, one for watches, which hold their connection open. Undefined when the
  // kubeconfig's proxy brings its own agent.
  private readonly agent?: http.Agent;
  private readonly watchAgent?: http.Agent;
  // The TLS context (CA, client certificate and key parsed once), for the credential it was made with.
  private secureContext?: { cert: unknown; key: unknown; context: tls.SecureContext };
  private waitingTold = false;
  private requests = 0;
  // Whether a TLS session is there to resume (or a request has ended): see sessionReady.
  private sessionSeen = false;
  private sessionKnown?: Promise<void>;
  private sessionSettled?: () => void;

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
    this.credentials = options.credentials;
    this.deadline = options.deadline;
    this.waiting = options.waiting;
    this.cluster = options.cluster;
    this.silenceTimeoutMs = options.silenceTimeoutMs ?? defaultSilenceTimeoutMs;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? defaultHandshakeTimeoutMs;
    this.errors = new ErrorTranslator({ context: this.context, server: this.server, cluster: this.cluster, hostname: this.url.hostname });
    if (options.requestOptions.agent === undefined) {
      const Agent = this.url.protocol === 'http:' ? http.Agent : https.Agent;
      // As Node's global agent: an idle connection is closed after 5s.
      this.agent = new Agent({ keepAlive: true, timeout: 5_000, maxSockets: options.connections ?? defaultConnections });
      this.watchAgent = new Agent({ keepAlive: true, timeout: 5_000 });
    }
  }

  // The command's deadline signal, for helpers that wait on their own (watch loops): undefined without one.
  get deadlineSignal(): AbortSignal | undefined {
    return this.deadline?.signal;
  }

  // Number of HTTP requests sent so far (retries and pages included).
  get requestCount(): number {
    return this.requests;
  }

  async get<T>(path: string, query?: Query, accept?: string, call: CallOptions = {}): Promise<T> {
    return this.parse<T>(await this.exchange('GET', path, query, accept, undefined, call.signal), 'GET', path);
  }

  // Every item of a collection, following `metadata.continue` page by page.
  async list<T>(path: string, query?: Query, accept?: string, call: ListOptions<T> = {}): Promise<T[]> {
    return (await this.listWithResourceVersion<T>(path, query, accept, call)).items;
  }

  // One LIST request as the query says (`limit`, `continue`), its items read one by one as they
  // arrive, each turned by `fields` into what the caller keeps.
  async listPage<T>(path: string, query: Query, accept?: string, call: ListOptions<T> = {}): Promise<KubeList<T>> {
    const fields = call.fields ?? ((item: T) => item);
    const reader: BodyReader = (body) => readListPage(body, fields);
    const received = await this.exchange('GET', path, query, accept, undefined, call.signal, reader);
    if (received.status < 200 || received.status > 299) throw this.errors.status(received, 'GET', path);
    if (received.read === undefined) throw this.notJson('GET', path);
    return received.read as KubeList<T>;
  }

  // The same, with the list's resourceVersion for a watch to start from. A `limit` in the query overrides the page size.
  // A list ends: a continue token sent twice, or more than maxPages pages, is an error naming the list.
  async listWithResourceVersion<T>(path: string, query: Query = {}, accept?: string, call: ListOptions<T> = {}): Promise<ListResult<T>> {
    const pageOf = (pageQuery: Query): Promise<KubeList<T>> => this.listPage<T>(path, pageQuery, accept, call);
    const items: T[] = [];
    let resourceVersion = '';
    let continueToken = '';
    const tokens = new Set<string>();
    do {
      const pageQuery: Query = { limit: String(this.pageSize), ...query };
      if (continueToken !== '') pageQuery.continue = continueToken;
      let page: KubeList<T>;
      try {
        page = await pageOf(pageQuery);
      } catch (error) {
        // The continue token expired mid-list (etcd compaction): start over with one full list, as client-go's pager does.
        if (continueToken !== '' && error instanceof ApiStatusError && error.status === 410) {
          const full = await pageOf(query);
          return { items: full.items ?? [], resourceVersion: full.metadata?.resourceVersion ?? '' };
        }
        throw error;
      }
      if (resourceVersion === '') resourceVersion = page.metadata?.resourceVersion ?? '';
      for (const item of page.items ?? []) items.push(item);
      continueToken = page.metadata?.continue ?? '';
      if (continueToken !== '' && tokens.has(continueToken)) {
        throw clusterError(
          `the API server of context "${this.context}" sent the same continue token twice while listing ${collectionOf(path)}: the list would never end`,
          `${this.errors.clusterHint()}; a proxy in front of the API server may be answering for it`,
        );
      }
      tokens.add(continueToken);
      if (continueToken !== '' && tokens.size >= maxPages) {
        throw clusterError(
          `the list of ${collectionOf(path)} from the API server of context "${this.context}" did not end after ${maxPages} pages (${items.length} objects)`,
          `${this.errors.clusterHint()}; a proxy in front of the API server may be answering for it`,
        );
      }
    } while (continueToken !== '');
    return { items, resourceVersion };
  }

  // POST an object (expose creates a Service; `dryRun=All` in the query validates without creating).
  async post<T>(path: string, body: unknown, query?: Query): Promise<T> {
    return this.parse<T>(await this.exchange('POST', path, query, undefined, JSON.stringify(body)), 'POST', path);
  }

  // Streams watch events until the server closes the watch or the signal aborts (then it resolves).
  // The command's deadline ends it too (then it rejects with a DeadlineError).
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
    let credential: Credential;
    try {
      credential = await this.credential(signal);
    } catch (error) {
      if (signal.aborted) return; // aborted while credentials were refreshed
      throw error;
    }
    const passed = this.deadlinePassed('GET', path);
    if (passed) throw passed;
    const options = { ...this.optionsFor('GET', target, credential, undefined), ...(this.watchAgent ? { agent: this.watchAgent } : {}) };

    return new Promise<void>((resolve, reject) => {
      // --request-timeout bounds the wait for the watch to start, not the life of the stream.
      const { request, started, stopTimer, causeOf } = this.open(options, 'GET', path, signal);
      let settled = false;
      // Ends the watch once; the request is torn down unless the server already ended it cleanly
      // (a finished request's socket may be back in the agent's pool, serving someone else).
      const settle = (outcome: { error?: unknown; ended?: boolean } = {}): void => {
        if (settled) return;
        settled = true;
        stopTimer();
        if (!outcome.ended) request.destroy();
        if (outcome.error === undefined) resolve();
        else reject(outcome.error);
      };

      request.on('error', (cause) => {
        if (settled) return;
        const error = causeOf(cause);
        if (error instanceof CallerAborted) return settle();
        this.debug(`GET ${target} failed: ${describeCause(error)} ${elapsed(started)}`);
        settle({ error: this.errors.network(error, 'GET', path) });
      });
      request.on('response', (response) => {
        // The stream is open: from now on silence is normal (bookmarks come about once a minute).
        stopTimer();
        const status = response.statusCode ?? 0;
        this.debug(`GET ${target} ${status} ${elapsed(started)} (watch)`);
        if (status < 200 || status > 299) {
          if (status === 401) this.credentials?.rejected(credential);
          readBody(response).then(
            (body) => settle({ error: this.errors.status({ status, headers: response.headers, body }, 'GET', path) }),
            (error: unknown) => settle({ error: this.errors.network(causeOf(error), 'GET', path) }),
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
            settle({ error: clusterError(`the watch on ${path} sent a line that is not JSON`, this.errors.clusterHint()) });
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
        // The command's deadline is the exception: it ends the command, not only this watch.
        const dropped = (cause?: unknown): void => {
          const error = cause === undefined ? undefined : causeOf(cause);
          settle(error instanceof DeadlinePassed ? { error: this.errors.network(error, 'GET', path) } : {});
        };
        stream.on('error', dropped);
        response.on('close', () => {
          if (!response.complete) dropped(request.destroyed ? request.errored ?? undefined : undefined);
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
    const { headers = {}, ...options } = this.optionsFor('GET', target, await this.credential(), undefined);
    const { Accept: _accept, 'Accept-Encoding': _encoding, ...upgradeHeaders } = headerObject(headers);
    delete options.hostname;
    delete options.port;
    delete options.path;
    delete options.method;
    delete options.protocol;
    this.requests += 1;
    return { url: new URL(target, this.url.origin), target, options: { ...options, headers: upgradeHeaders } };
  }

  // One request and its whole response body, retried when the server asks to be retried, and once
  // with a fresh credential after a 401 (an exec plugin's token that expired early), as client-go does.
  private async exchange(method: string, path: string, query?: Query, accept?: string, body?: string, signal?: AbortSignal, reader?: BodyReader): Promise<Received> {
    const target = this.target(path, query);
    let renewed = false;
    for (let attempt = 0; ; attempt += 1) {
      const credential = await this.credential(signal);
      const result = await this.send({ ...this.optionsFor(method, target, credential, accept, body), ...(this.agent ? { agent: this.agent } : {}) }, method, target, path, body, signal, reader);
      if (result.status === 401 && !renewed && this.credentials?.rejected(credential)) {
        renewed = true;
        this.debug(`${method} ${target}: 401, asking for a fresh credential once`);
        continue;
      }
      const waitMs = retryWaitMs(result, method, attempt);
      if (waitMs === undefined) return result;
      this.debug(`${method} ${target}: retrying in ${waitMs}ms, as the server asked`);
      await this.pause(waitMs, method, path, signal);
    }
  }

  // The credential for the next request; the command's deadline and the caller's signal end a plugin run.
  private async credential(signal?: AbortSignal): Promise<Credential> {
    if (this.credentials === undefined) return {};
    const signals = [this.deadline?.signal, signal].filter((one): one is AbortSignal => one !== undefined);
    return this.credentials.get(signals.length === 0 ? undefined : AbortSignal.any(signals));
  }

  // A wait between retries, ended early by the deadline or the caller.
  private async pause(milliseconds: number, method: string, path: string, signal?: AbortSignal): Promise<void> {
    const signals = [this.deadline?.signal, signal].filter((one): one is AbortSignal => one !== undefined);
    try {
      await delay(milliseconds, undefined, signals.length === 0 ? {} : { signal: AbortSignal.any(signals) });
    } catch {
      if (signal?.aborted) throw signal.reason;
      throw this.errors.network(new DeadlinePassed(this.deadline!.flag), method, path);
    }
  }

  // `reader`, when given, reads a 2xx answer's body as it streams (its result is `read`); any other
  // answer's body is read as text, for the error it carries.
  private async send(options: https.RequestOptions, method: string, target: string, path: string, body?: string, signal?: AbortSignal, reader?: BodyReader): Promise<Received> {
    const passed = this.deadlinePassed(method, path);
    if (passed) throw passed;
    return new Promise<Received>((resolve, reject) => {
      const { request, started, stopTimer, causeOf, heard } = this.open(options, method, path, signal);
      let settled = false;
      const fail = (cause: unknown): void => {
        if (settled) return;
        settled = true;
        stopTimer();
        const error = causeOf(cause);
        if (error instanceof CallerAborted) return reject(error.reason);
        this.debug(`${method} ${target} failed: ${describeCause(error)} ${elapsed(started)}`);
        reject(this.errors.network(error, method, path));
      };
      request.on('error', fail);
      request.on('response', (response) => {
        heard();
        response.on('data', heard);
        const status = response.statusCode ?? 0;
        const streamed = reader !== undefined && status >= 200 && status <= 299;
        const reading = streamed ? reader(decoded(response)).then((read) => ({ body: '', read })) : readBody(response).then((text) => ({ body: text }));
        reading.then((answer) => {
          if (settled) return;
          settled = true;
          stopTimer();
          this.debug(`${method} ${target} ${status} ${elapsed(started)}`);
          resolve({ status, headers: response.headers, ...answer });
        }, fail);
      });
      request.end(body);
    });
  }

  private parse<T>(exchange: Exchange, method: string, path: string): T {
    if (exchange.status < 200 || exchange.status > 299) throw this.errors.status(exchange, method, path);
    try {
      return JSON.parse(exchange.body) as T;
    } catch {
      throw this.notJson(method, path);
    }
  }

  private notJson(method: string, path: string): Error {
    return clusterError(
      `the server of context "${this.context}" at ${this.server} answered ${method} ${path} with something that is not JSON`,
      `check that ${this.server} is a Kubernetes API server and that \`kubectl --context ${this.context} cluster-info\` works`,
    );
  }

  // Path plus query string, as sent and as shown in --debug lines: /api/v1/pods?labelSelector=app%3Dweb
  private target(path: string, query?: Query): string {
    const prefix = this.url.pathname.replace(/\/+$/, '');
    const search = new URLSearchParams(query ?? {}).toString();
    return `${prefix}${path}${search === '' ? '' : `?${search}`}`;
  }

  private optionsFor(method: string, target: string, credential: Credential, accept?: string, body?: string): https.RequestOptions {
    const headers: OutgoingHttpHeaders = {
      ...headerObject(this.requestOptions.headers),
      ...credential.headers,
      Accept: accept ?? jsonMediaType,
      'Accept-Encoding': 'gzip',
      'User-Agent': userAgent,
    };
    if (body !== undefined) {
      headers['Content-Type'] = jsonMediaType;
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const options: https.RequestOptions = {
      ...this.requestOptions,
      ...(credential.cert === undefined ? {} : { cert: credential.cert }),
      ...(credential.key === undefined ? {} : { key: credential.key }),
    };
    return {
      ...options,
      ...(this.url.protocol === 'https:' ? { secureContext: this.secureContextFor(options) } : {}),
      protocol: this.url.protocol,
      // URL keeps IPv6 hosts in brackets; node:net wants them bare.
      hostname: this.url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.url.port === '' ? undefined : Number(this.url.port),
      method,
      path: target,
      headers,
    };
  }

  // After the command's deadline no request goes out (not even a connection is opened).
  private deadlinePassed(method: string, path: string): Error | undefined {
    return this.deadline?.signal.aborted ? this.errors.network(new DeadlinePassed(this.deadline.flag), method, path) : undefined;
  }

  // Parsing the CA bundle, certificate and key is a good part of a TLS connection's cost: done once
  // per credential, not per connection. The same options still key the agent's pool and sessions.
  private secureContextFor(options: https.RequestOptions): tls.SecureContext {
    const cached = this.secureContext;
    if (cached && cached.cert === options.cert && cached.key === options.key) return cached.context;
    const context = tls.createSecureContext(options);
    this.secureContext = { cert: options.cert, key: options.key, context };
    return context;
  }

  // One request on the wire: counted, guarded while it connects, bounded by --request-timeout (or,
  // without it, by a silence limit that `heard` resets) until `stopTimer`, ended by the command's
  // deadline and the caller's signal, and told to `waiting` when no answer comes for a few seconds.
  // `causeOf` names the timeout or the abort as the cause when one of them destroyed the request.
  private open(
    options: https.RequestOptions,
    method: string,
    path: string,
    signal?: AbortSignal,
  ): { request: ClientRequest; started: number; stopTimer: () => void; heard: () => void; causeOf: (cause: unknown) => unknown } {
    const started = performance.now();
    this.requests += 1;
    const request = this.transport.request(options);
    let ended: Error | undefined;
    const end = (cause: Error): void => {
      if (ended !== undefined) return;
      ended = cause;
      request.destroy(cause);
    };
    const silenceMs = this.silenceTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer =
        this.timeoutMs > 0
          ? setTimeout(() => end(new RequestTimeout('request', this.timeoutMs)), this.timeoutMs)
          : setTimeout(() => end(new RequestTimeout('silence', silenceMs)), silenceMs);
    };
    arm();
    const notice =
      this.waiting && !this.waitingTold
        ? setTimeout(() => {
            if (this.waitingTold) return;
            this.waitingTold = true;
            this.waiting?.(`waiting for the API server at ${this.server} (${method} ${path})`);
          }, waitingNoticeMs)
        : undefined;
    notice?.unref();
    const onDeadline = (): void => end(new DeadlinePassed(this.deadline!.flag));
    const onCaller = (): void => end(new CallerAborted(signal?.reason));
    if (this.deadline?.signal.aborted) queueMicrotask(onDeadline);
    else this.deadline?.signal.addEventListener('abort', onDeadline, { once: true });
    if (signal?.aborted) queueMicrotask(onCaller);
    else signal?.addEventListener('abort', onCaller, { once: true });
    const stop = (): void => {
      clearTimeout(timer);
      clearTimeout(notice);
      timer = undefined;
    };
    const detach = (): void => {
      stop();
      this.deadline?.signal.removeEventListener('abort', onDeadline);
      signal?.removeEventListener('abort', onCaller);
    };
    request.once('response', () => clearTimeout(notice));
    request.once('close', detach);
    this.guardConnect(request);
    this.watchSession(request);
    return {
      request,
      started,
      stopTimer: stop,
      // With --request-timeout the whole request is bounded; without, each sign of life restarts the silence limit.
      heard: () => {
        if (this.timeoutMs === 0 && timer !== undefined) arm();
      },
      causeOf: (cause) => ended ?? cause,
    };
  }

  // Resolves once a new connection would resume a TLS session instead of making a full handshake
  // of its own (the first connection's session ticket has arrived), or once any request has ended;
  // at once without TLS or with a proxy's agent. A trace sends its first request alone and the
  // rest when this resolves: the other three connections of the pool resume the first one's
  // session (less CPU on both sides than four full handshakes at once, measured).
  sessionReady(): Promise<void> {
    if (this.sessionSeen || this.url.protocol !== 'https:' || this.agent === undefined) return Promise.resolve();
    this.sessionKnown ??= new Promise<void>((resolve) => {
      this.sessionSettled = resolve;
    });
    return this.sessionKnown;
  }

  private watchSession(request: ClientRequest): void {
    if (this.sessionSeen || this.url.protocol !== 'https:') return;
    const settle = (): void => {
      this.sessionSeen = true;
      this.sessionSettled?.();
    };
    request.once('socket', (socket) => {
      if (!this.sessionSeen) socket.once('session', settle);
    });
    request.once('close', settle);
  }

  // kubectl's dialer: a TCP connect gives up after 30s, a TLS handshake after 10s (when no
  // --request-timeout bounds the whole request).
  private guardConnect(request: ClientRequest): void {
    if (this.timeoutMs > 0) return;
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      let timer = setTimeout(() => request.destroy(new RequestTimeout('connect', connectTimeoutMs)), connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        if (this.url.protocol !== 'https:') return;
        timer = setTimeout(() => request.destroy(new RequestTimeout('handshake', this.handshakeTimeoutMs)), this.handshakeTimeoutMs);
        socket.once('secureConnect', () => clearTimeout(timer));
      });
      socket.once('close', () => clearTimeout(timer));
    });
  }
}

// How a list is named in errors: `pods in namespace "shop"`, `nodes`, `services in every namespace`.
function collectionOf(path: string): string {
  const parts = path.split('/').filter(Boolean);
  const namespaced = parts.indexOf('namespaces');
  if (namespaced !== -1 && parts.length > namespaced + 2) return `${parts[namespaced + 2]} in namespace "${decodeURIComponent(parts[namespaced + 1]!)}"`;
  const resource = parts.at(-1) ?? path;
  return ['nodes', 'namespaces'].includes(resource) ? resource : `${resource} in every namespace`;
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

function elapsed(started: number): string {
  return `${Math.round(performance.now() - started)}ms`;
}

function displayServer(url: URL): string {
  return url.href.replace(/\/$/, '');
}
