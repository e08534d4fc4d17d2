// Protocol: SPDY/3.1 streams of the `SPDY/3.1+portforward.k8s.io` tunnel; docs/port-forward.md,
// "SPDY/3.1+portforward.k8s.io".
//
// A SPDY/3.1 client session over one byte stream (the API server's websocket tunnel to one pod):
// streams opened with SYN_STREAM and answered with SYN_REPLY, DATA both ways with FIN for
// half-close, RST_STREAM, PING answered, GOAWAY respected. The kubelet's side (moby/spdystream)
// does no flow control, so neither does this; a stream whose reader is slow buffers up to a limit
// and then pauses the whole tunnel, as kubectl's client does.

import { EventEmitter } from 'node:events';
import zlib from 'node:zlib';
import { headerDictionary } from './spdy-dictionary.js';
import {
  FrameReader,
  FrameType,
  ResetStatus,
  controlStreamId,
  dataFrames,
  flagFin,
  goAwayFrame,
  headerBlock,
  pingFrame,
  rstStreamFrame,
  synStreamFrame,
  type SpdyFrame,
} from './spdy.js';

// What a session needs from the tunnel under it (a WebSocketStream).
export interface ByteTunnel extends EventEmitter {
  // Begins reading, once the session listens.
  start(): void;
  write(data: Buffer): boolean;
  pause(): void;
  resume(): void;
  close(): void;
  destroy(): void;
}

// Bytes a paused stream may hold before the whole tunnel stops reading.
const pausedBufferLimit = 1024 * 1024;

export class SpdyStreamError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'SpdyStreamError';
  }
}

// One stream. Events: 'data' (Buffer), 'end' (the peer finished sending), 'drain',
// 'close' (error?: SpdyStreamError) once both sides are finished or the stream was reset.
// It starts paused: nothing is emitted before resume(), but 'close'.
export class SpdyStream extends EventEmitter {
  localFinished = false;
  remoteFinished = false;
  closed = false;
  // Data is held until the stream's reader resumes it: frames may follow the SYN_REPLY in the same
  // read, before the promise of the open stream has reached anyone.
  private paused = true;
  private readonly held: Buffer[] = [];
  // Why the stream closed, for a reader that comes after the fact.
  closeError: SpdyStreamError | undefined;
  private heldBytes = 0;
  private endHeld = false;

  constructor(readonly id: number, private readonly session: SpdySession) {
    super();
  }

  write(data: Buffer): boolean {
    if (this.localFinished || this.closed) return false;
    return this.session.send(dataFrames(this.id, data));
  }

  // Half-close: the peer reads EOF; data still flows the other way.
  end(): void {
    if (this.localFinished || this.closed) return;
    this.localFinished = true;
    this.session.send(dataFrames(this.id, Buffer.alloc(0), true));
    this.settle();
  }

  // Abandons the stream (RST_STREAM CANCEL).
  reset(): void {
    if (this.closed) return;
    this.session.send([rstStreamFrame(this.id, ResetStatus.cancel)]);
    this.close();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const held = this.held.splice(0);
    this.heldBytes = 0;
    for (const data of held) this.emit('data', data);
    if (this.endHeld) {
      this.endHeld = false;
      this.emit('end');
      this.settle();
    }
    this.session.unblock(this);
  }

  receive(data: Buffer, fin: boolean): void {
    if (this.closed) return;
    if (data.length > 0) {
      if (this.paused) {
        this.held.push(data);
        this.heldBytes += data.length;
        if (this.heldBytes > pausedBufferLimit) this.session.block(this);
      } else {
        this.emit('data', data);
      }
    }
    if (fin) {
      this.remoteFinished = true;
      if (this.paused) this.endHeld = true;
      else {
        this.emit('end');
        this.settle();
      }
    }
  }

  close(error?: SpdyStreamError): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = error;
    this.session.forget(this);
    this.emit('close', error);
  }

  private settle(): void {
    if (this.localFinished && this.remoteFinished && !this.endHeld) this.close();
  }
}

interface PendingOpen {
  stream: SpdyStream;
  resolve: (stream: SpdyStream) => void;
  reject: (error: SpdyStreamError) => void;
}

// Events: 'close' (error?: Error) when the tunnel is gone; 'idle' when the last stream closed.
export class SpdySession extends EventEmitter {
  private nextStreamId = 1;
  private readonly streams = new Map<number, SpdyStream>();
  private readonly opening = new Map<number, PendingOpen>();
  private readonly blocking = new Set<SpdyStream>();
  private readonly reader = new FrameReader();
  private readonly deflate = zlib.createDeflate({ dictionary: headerDictionary });
  // Header blocks share one zlib stream: SYN_STREAMs go out in the order they were compressed.
  private sending: Promise<void> = Promise.resolve();
  private goingAway = false;
  closed = false;

  constructor(private readonly tunnel: ByteTunnel) {
    super();
    tunnel.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) this.handle(frame);
    });
    tunnel.on('drain', () => {
      for (const stream of this.streams.values()) stream.emit('drain');
    });
    tunnel.on('close', (error?: Error) => this.finish(error));
    // A compression failure fails the stream being opened (see compress); none may crash the process.
    this.deflate.on('error', () => {});
    tunnel.start();
  }

  get streamCount(): number {
    return this.streams.size;
  }

  // Whether new streams may be opened (not closed, no GOAWAY received).
  get usable(): boolean {
    return !this.closed && !this.goingAway;
  }

  // SYN_STREAM with these headers; resolves once the server answers SYN_REPLY.
  openStream(headers: Record<string, string>): Promise<SpdyStream> {
    if (!this.usable) return Promise.reject(new SpdyStreamError('the tunnel to the pod is closed'));
    return new Promise<SpdyStream>((resolve, reject) => {
      this.sending = this.sending.then(async () => {
        if (!this.usable) {
          reject(new SpdyStreamError('the tunnel to the pod is closed'));
          return;
        }
        const id = this.nextStreamId;
        this.nextStreamId += 2;
        const stream = new SpdyStream(id, this);
        this.streams.set(id, stream);
        this.opening.set(id, { stream, resolve, reject });
        let compressed: Buffer;
        try {
          compressed = await this.compress(headerBlock(headers));
        } catch (error) {
          this.opening.delete(id);
          this.streams.delete(id);
          reject(new SpdyStreamError(`compressing headers failed: ${(error as Error).message}`));
          return;
        }
        this.send([synStreamFrame(id, compressed)]);
      });
    });
  }

  // Writes frames to the tunnel; false when its buffer is full.
  send(frames: Buffer[]): boolean {
    if (this.closed) return false;
    return this.tunnel.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
  }

  // A paused stream holds too much: stop reading the tunnel until it resumes.
  block(stream: SpdyStream): void {
    if (this.blocking.size === 0) this.tunnel.pause();
    this.blocking.add(stream);
  }

  unblock(stream: SpdyStream): void {
    if (!this.blocking.delete(stream)) return;
    if (this.blocking.size === 0) this.tunnel.resume();
  }

  forget(stream: SpdyStream): void {
    this.streams.delete(stream.id);
    this.unblock(stream);
    if (this.streams.size === 0 && !this.closed) this.emit('idle');
  }

  // Ends the session: GOAWAY, then the websocket closes.
  close(): void {
    if (this.closed) return;
    this.send([goAwayFrame(0)]);
    this.tunnel.close();
    this.finish();
  }

  private handle(frame: SpdyFrame): void {
    if (frame.kind === 'data') {
      this.streams.get(frame.streamId)?.receive(frame.data, frame.fin);
      return;
    }
    switch (frame.type) {
      case FrameType.synReply: {
        const id = controlStreamId(frame);
        const pending = this.opening.get(id);
        if (!pending) return;
        this.opening.delete(id);
        pending.resolve(pending.stream);
        if (frame.flags & flagFin) pending.stream.receive(Buffer.alloc(0), true);
        return;
      }
      case FrameType.rstStream: {
        const id = controlStreamId(frame);
        const status = frame.body.length >= 8 ? frame.body.readUInt32BE(4) : 0;
        const error = new SpdyStreamError(`the kubelet reset the stream (${resetName(status)})`, status);
        const pending = this.opening.get(id);
        if (pending) {
          this.opening.delete(id);
          pending.reject(error);
        }
        this.streams.get(id)?.close(error);
        return;
      }
      case FrameType.ping: {
        // Even ids are the server's pings: answer them; odd ones would be answers to ours.
        const id = frame.body.length >= 4 ? frame.body.readUInt32BE(0) : 1;
        if (id % 2 === 0) this.send([pingFrame(id)]);
        return;
      }
      case FrameType.goAway:
        this.goingAway = true;
        return;
      default:
        // SETTINGS, HEADERS, WINDOW_UPDATE: nothing to do for a port-forward client.
        return;
    }
  }

  private compress(block: Buffer): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const collect = (chunk: Buffer) => chunks.push(chunk);
      const fail = (error: Error) => {
        this.deflate.off('data', collect);
        reject(error);
      };
      this.deflate.on('data', collect);
      this.deflate.once('error', fail);
      this.deflate.write(block);
      this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        this.deflate.off('data', collect);
        this.deflate.off('error', fail);
        resolve(Buffer.concat(chunks));
      });
    });
  }

  private finish(error?: Error): void {
    if (this.closed && this.streams.size === 0 && this.opening.size === 0) return;
    this.closed = true;
    const reason = new SpdyStreamError(error ? `the tunnel to the pod broke: ${error.message}` : 'the tunnel to the pod closed');
    for (const pending of this.opening.values()) pending.reject(reason);
    this.opening.clear();
    for (const stream of [...this.streams.values()]) stream.close(reason);
    this.deflate.close();
    this.emit('close', error);
  }
}

function resetName(status: number): string {
  const names: Record<number, string> = {
    1: 'PROTOCOL_ERROR',
    2: 'INVALID_STREAM',
    3: 'REFUSED_STREAM',
    4: 'UNSUPPORTED_VERSION',
    5: 'CANCEL',
    6: 'INTERNAL_ERROR',
    7: 'FLOW_CONTROL_ERROR',
    8: 'STREAM_IN_USE',
    9: 'STREAM_ALREADY_CLOSED',
  };
  return names[status] ?? `status ${status}`;
}
