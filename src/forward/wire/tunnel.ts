// Protocol: `SPDY/3.1+portforward.k8s.io`, Kubernetes' port-forward tunnel; docs/port-forward.md,
// "SPDY/3.1+portforward.k8s.io" (README: "Forward to a Service").
//
// Port-forward through the API server's SPDY-over-websocket tunnel (kube-apiserver ≥ 1.31, the
// protocol kubectl port-forward uses): one websocket per pod with the `SPDY/3.1+portforward.k8s.io`
// subprotocol, and per local connection a pair of SPDY streams, as client-go opens them — an error
// stream and a data stream, both with headers streamType, port and requestID. The data stream
// half-closes each way, so a client that finishes sending still gets the whole answer.

import { SpdySession, type SpdyStream } from './spdy-session.js';
import { HeldEvents, type PodTarget, type RemoteStream } from '../remote-stream.js';
import type { WebSocketStream } from './websocket.js';

export const tunnelProtocol = 'SPDY/3.1+portforward.k8s.io';

// A tunnel with no stream left is closed after this long.
const idleMs = 30_000;

export class TunnelPool {
  private readonly sessions = new Map<string, Promise<SpdySession>>();
  private requestId = 0;

  // `connect` opens the websocket to one pod.
  constructor(private readonly connect: (target: { namespace: string; pod: string }) => Promise<WebSocketStream>) {}

  async openStream(target: PodTarget): Promise<RemoteStream> {
    let session = await this.session(target);
    if (!session.usable) {
      this.sessions.delete(keyOf(target));
      session = await this.session(target);
    }
    const requestId = String(this.requestId++);
    const headers = (streamType: 'error' | 'data') => ({ streamType, port: String(target.port), requestID: requestId });
    const [errors, data] = await Promise.allSettled([session.openStream(headers('error')), session.openStream(headers('data'))]);
    if (errors.status === 'rejected' || data.status === 'rejected') {
      if (errors.status === 'fulfilled') errors.value.reset();
      if (data.status === 'fulfilled') data.value.reset();
      throw errors.status === 'rejected' ? errors.reason : (data as PromiseRejectedResult).reason;
    }
    // The client never writes on the error stream.
    errors.value.end();
    return new TunnelStream(data.value, errors.value);
  }

  close(): void {
    for (const session of this.sessions.values()) void session.then((s) => s.close(), () => undefined);
    this.sessions.clear();
  }

  private session(target: PodTarget): Promise<SpdySession> {
    const key = keyOf(target);
    const existing = this.sessions.get(key);
    if (existing) return existing;
    const created = this.connect(target).then((tunnel) => {
      const session = new SpdySession(tunnel);
      let idle: NodeJS.Timeout | undefined;
      session.on('idle', () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          if (session.streamCount === 0) session.close();
        }, idleMs);
        idle.unref();
      });
      session.on('close', () => {
        clearTimeout(idle);
        if (this.sessions.get(key) === created) this.sessions.delete(key);
      });
      return session;
    });
    created.catch(() => {
      if (this.sessions.get(key) === created) this.sessions.delete(key);
    });
    this.sessions.set(key, created);
    return created;
  }
}

const keyOf = (target: { namespace: string; pod: string }) => `${target.namespace}/${target.pod}`;

class TunnelStream extends HeldEvents implements RemoteStream {
  readonly protocol = tunnelProtocol;
  private errorText = '';
  private errorReported = false;
  private dataClosed = false;
  private errorsClosed = false;
  private closeReason: string | undefined;

  constructor(private readonly data: SpdyStream, private readonly errors: SpdyStream) {
    super();
    data.on('data', (chunk: Buffer) => this.deliver('data', chunk));
    data.on('end', () => this.deliver('end'));
    data.on('drain', () => this.emit('drain'));
    data.on('close', (error?: Error) => {
      this.dataClosed = true;
      if (error) this.closeReason ??= error.message;
      this.settle();
    });
    errors.on('data', (chunk: Buffer) => (this.errorText += chunk.toString('utf8')));
    // The kubelet writes its error and closes the error stream before it ends the data stream —
    // with a FIN, or with a reset when the client's side is closed already (spdystream's Close on a
    // stream closed both ways): the text counts either way.
    errors.on('end', () => this.reportError());
    errors.on('close', () => {
      this.reportError();
      this.errorsClosed = true;
      this.settle();
    });
    // The streams start paused; the error stream is read from now on, the data when the bridge starts.
    errors.resume();
    // Reset, or the tunnel broke, between their opening and now.
    if (data.closed) data.emit('close', data.closeError);
    if (errors.closed) errors.emit('close', errors.closeError);
  }

  override start(): void {
    super.start();
    this.data.resume();
  }

  write(chunk: Buffer): boolean {
    return this.data.write(chunk);
  }

  end(): void {
    this.data.end();
  }

  pause(): void {
    this.data.pause();
  }

  resume(): void {
    this.data.resume();
  }

  destroy(): void {
    this.data.reset();
    this.errors.reset();
  }

  private reportError(): void {
    if (this.errorReported || this.errorText.trim() === '') return;
    this.errorReported = true;
    this.deliver('failure', this.errorText.trim());
  }

  private settle(): void {
    if (!this.dataClosed || !this.errorsClosed) return;
    if (this.errorText.trim() === '' && this.closeReason) this.deliver('failure', this.closeReason);
    this.deliver('close');
  }
}
