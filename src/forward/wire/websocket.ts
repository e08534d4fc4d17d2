// Protocol: websocket (RFC 6455), the carrier of both port-forward protocols; how forward uses it:
// docs/port-forward.md, "The websocket upgrade".
//
// A websocket client (RFC 6455) for the API server's pods/portforward: the SPDY tunnel
// (`SPDY/3.1+portforward.k8s.io`, kube-apiserver ≥ 1.31; client-go's TunnelingConnection on the
// other end, a byte stream in binary messages) and the older `v4.channel.k8s.io` (one channel
// byte opening each message).
//
// Written here rather than with the `ws` package: ws accepts only RFC 6455 token characters in a
// subprotocol, and the tunnel's subprotocol contains a "/".

import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

const acceptGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const writeHighWaterMark = 1024 * 1024;

export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface WebSocketFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

// Client frames are masked with a fresh random key (RFC 6455 5.3); `null` writes a server's
// unmasked frame.
export function encodeFrame(opcode: number, payload: Buffer, maskKey: Buffer | null = randomBytes(4)): Buffer {
  const length = payload.length;
  const extended = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const maskLength = maskKey === null ? 0 : 4;
  const frame = Buffer.allocUnsafe(2 + extended + maskLength + length);
  frame[0] = 0x80 | opcode;
  frame[1] = (maskKey === null ? 0 : 0x80) | (extended === 0 ? length : extended === 2 ? 126 : 127);
  if (extended === 2) frame.writeUInt16BE(length, 2);
  if (extended === 8) frame.writeBigUInt64BE(BigInt(length), 2);
  const start = 2 + extended;
  if (maskKey === null) {
    payload.copy(frame, start);
    return frame;
  }
  maskKey.copy(frame, start, 0, 4);
  const data = start + 4;
  for (let i = 0; i < length; i++) frame[data + i] = payload[i]! ^ maskKey[i & 3]!;
  return frame;
}

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + acceptGuid).digest('base64');
}

// Reads frames from the bytes of a connection, whatever their chunking. Control frames (ping,
// close: at most 125 bytes) come out whole; a data frame's payload comes out in pieces as its bytes
// arrive, since the tunnel's payload is a byte stream anyway — `fin` marks the last piece of a
// final frame. No payload is copied (unless the sender masked it).
export class FrameParser {
  private header: Buffer = Buffer.alloc(0);
  private frame: { fin: boolean; opcode: number; key?: Buffer; left: number; offset: number } | undefined;
  private control: Buffer[] = [];

  push(chunk: Buffer): WebSocketFrame[] {
    const out: WebSocketFrame[] = [];
    let offset = 0;
    while (offset < chunk.length || (this.frame !== undefined && this.frame.left === 0)) {
      if (this.frame === undefined) {
        const taken = this.readHeader(chunk, offset);
        offset += taken;
        if (this.frame === undefined) break;
      }
      const frame: { fin: boolean; opcode: number; key?: Buffer; left: number; offset: number } = this.frame!;
      const piece = chunk.subarray(offset, offset + frame.left);
      offset += piece.length;
      frame.left -= piece.length;
      const payload = frame.key ? unmask(piece, frame.key, frame.offset) : piece;
      frame.offset += piece.length;
      const isControl = frame.opcode >= 0x8;
      if (isControl) this.control.push(payload);
      else if (payload.length > 0 || frame.left === 0) out.push({ fin: frame.fin && frame.left === 0, opcode: frame.opcode, payload });
      if (frame.left === 0) {
        if (isControl) out.push({ fin: true, opcode: frame.opcode, payload: Buffer.concat(this.control) });
        this.control = [];
        this.frame = undefined;
      }
    }
    return out;
  }

  // Takes header bytes from the chunk; sets `frame` once the header is complete.
  private readHeader(chunk: Buffer, offset: number): number {
    const needed = (header: Buffer): number => {
      if (header.length < 2) return 2;
      const length = header[1]! & 0x7f;
      return 2 + (length === 126 ? 2 : length === 127 ? 8 : 0) + (header[1]! & 0x80 ? 4 : 0);
    };
    let taken = 0;
    let header = this.header;
    while (header.length < needed(header) && offset + taken < chunk.length) {
      const want = needed(header) - header.length;
      const piece = chunk.subarray(offset + taken, offset + taken + want);
      header = header.length === 0 ? piece : Buffer.concat([header, piece]);
      taken += piece.length;
    }
    if (header.length < needed(header)) {
      this.header = Buffer.from(header);
      return taken;
    }
    this.header = Buffer.alloc(0);
    const short = header[1]! & 0x7f;
    const length = short === 126 ? header.readUInt16BE(2) : short === 127 ? Number(header.readBigUInt64BE(2)) : short;
    const masked = (header[1]! & 0x80) !== 0;
    this.frame = {
      fin: (header[0]! & 0x80) !== 0,
      opcode: header[0]! & 0x0f,
      left: length,
      offset: 0,
      ...(masked ? { key: Buffer.from(header.subarray(header.length - 4)) } : {}),
    };
    return taken;
  }
}

function unmask(piece: Buffer, key: Buffer, offset: number): Buffer {
  const out = Buffer.allocUnsafe(piece.length);
  for (let i = 0; i < piece.length; i++) out[i] = piece[i]! ^ key[(offset + i) & 3]!;
  return out;
}

// Why the upgrade failed; `status` is the HTTP status when the server answered.
export class UpgradeError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'UpgradeError';
  }
}

export interface UpgradeOptions {
  url: URL;
  protocol: string;
  requestOptions: https.RequestOptions;
  timeoutMs: number;
}

// The data inside one websocket. Events: 'data' (payload: Buffer, messageStart: boolean) — the
// payload of data messages in pieces as they arrive, `messageStart` on the first piece of each
// message (the v4 protocol's channel byte is there; the SPDY tunnel ignores boundaries);
// 'drain'; 'close' (error?: Error). Nothing is read before start().
export class WebSocketStream extends EventEmitter {
  private readonly parser = new FrameParser();
  private closeSent = false;
  private destroyed = false;
  private closed = false;
  private started = false;
  private pausedByReader = false;
  private inMessage = false;
  private closedBeforeStart: { error?: Error } | undefined;

  constructor(private readonly socket: Duplex, private head: Buffer) {
    super();
    socket.pause();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => this.emit('drain'));
    socket.on('error', (error: Error) => this.finish(error));
    // Closed without the close handshake (neither side sent a close frame): the connection broke.
    socket.on('close', () => this.finish(this.closeSent || this.destroyed ? undefined : new Error('the connection to the API server broke')));
  }

  // The reader listens now: the bytes that came with the upgrade's answer first.
  start(): void {
    if (this.started) return;
    this.started = true;
    const head = this.head;
    this.head = Buffer.alloc(0);
    if (head.length > 0) this.receive(head);
    if (this.closedBeforeStart) {
      this.closed = false;
      this.finish(this.closedBeforeStart.error);
      return;
    }
    if (!this.pausedByReader) this.socket.resume();
  }

  // One binary message; false when the socket holds more than a megabyte (wait for 'drain'). The
  // socket's own 16 KiB mark would stop every writer after each 64 KiB read.
  write(data: Buffer): boolean {
    if (this.closed || this.closeSent) return false;
    this.socket.write(encodeFrame(Opcode.binary, data));
    return this.socket.writableLength < writeHighWaterMark;
  }

  pause(): void {
    this.pausedByReader = true;
    this.socket.pause();
  }

  resume(): void {
    this.pausedByReader = false;
    if (this.started) this.socket.resume();
  }

  // A clean close: a close frame (1000), then the socket ends.
  close(): void {
    if (this.closed) return;
    if (!this.closeSent) {
      this.closeSent = true;
      const status = Buffer.alloc(2);
      status.writeUInt16BE(1000);
      this.socket.write(encodeFrame(Opcode.close, status));
    }
    this.socket.end();
    // A server that does not answer the close frame does not keep the socket.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  destroy(): void {
    this.destroyed = true;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    for (const frame of this.parser.push(chunk)) {
      switch (frame.opcode) {
        case Opcode.binary:
        case Opcode.text:
        case Opcode.continuation: {
          const messageStart = !this.inMessage && frame.opcode !== Opcode.continuation;
          this.inMessage = !frame.fin;
          if (frame.payload.length > 0) this.emit('data', frame.payload, messageStart);
          break;
        }
        case Opcode.ping:
          if (!this.closeSent) this.socket.write(encodeFrame(Opcode.pong, frame.payload));
          break;
        case Opcode.close:
          this.close();
          break;
      }
    }
  }

  private finish(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.started) {
      this.closedBeforeStart = error ? { error } : {};
      return;
    }
    this.emit('close', error);
  }
}

// Opens the websocket: GET with Upgrade, the subprotocol, and the kubeconfig's TLS and headers.
export function openWebSocket(options: UpgradeOptions): Promise<WebSocketStream> {
  const key = randomBytes(16).toString('base64');
  const secure = options.url.protocol === 'https:';
  const transport = secure ? https : http;
  const request = transport.request({
    ...options.requestOptions,
    protocol: options.url.protocol,
    hostname: options.url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: options.url.port === '' ? undefined : Number(options.url.port),
    path: `${options.url.pathname}${options.url.search}`,
    method: 'GET',
    headers: {
      ...options.requestOptions.headers,
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': key,
      'Sec-WebSocket-Protocol': options.protocol,
    },
  });
  return new Promise<WebSocketStream>((resolve, reject) => {
    let settled = false;
    const fail = (error: UpgradeError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new UpgradeError(`no answer within ${Math.round(options.timeoutMs / 1000)}s`)),
      options.timeoutMs,
    );
    request.on('error', (error) => fail(new UpgradeError(error.message)));
    request.on('response', (response) => {
      readMessage(response).then(
        (message) => fail(new UpgradeError(`the API server answered ${response.statusCode}: ${message}`, response.statusCode)),
        () => fail(new UpgradeError(`the API server answered ${response.statusCode}`, response.statusCode)),
      );
    });
    request.on('upgrade', (response, socket, head) => {
      if (settled) {
        socket.destroy();
        return;
      }
      const expected = acceptKey(key);
      const problem =
        response.headers['sec-websocket-accept'] !== expected
          ? 'a wrong Sec-WebSocket-Accept'
          : response.headers['sec-websocket-protocol'] !== options.protocol
            ? `subprotocol "${response.headers['sec-websocket-protocol'] ?? ''}" instead of ${options.protocol}`
            : undefined;
      if (problem) {
        socket.destroy();
        fail(new UpgradeError(`the API server upgraded with ${problem}`, 400));
        return;
      }
      settled = true;
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(new WebSocketStream(socket, head));
    });
    request.end();
  });
}

// The message of a metav1.Status body (`pods "web-1" not found`), else the body's first line.
export async function readMessage(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8').trim();
  try {
    const status = JSON.parse(body) as { message?: string };
    if (typeof status.message === 'string' && status.message !== '') return status.message;
  } catch {
    // not JSON: the plain text below
  }
  return body.split('\n')[0]!.slice(0, 300) || 'no reason given';
}
