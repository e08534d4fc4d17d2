// Protocol: SPDY/3.1 frames of the `SPDY/3.1+portforward.k8s.io` tunnel; docs/port-forward.md,
// "SPDY/3.1+portforward.k8s.io".
//
// Pure: the SPDY/3.1 frames a port-forward client needs (draft-mbelshe-httpbis-spdy-00 with the
// 3.1 changes), as the kubelet's SPDY server (moby/spdystream) speaks them. Header blocks are
// compressed elsewhere (spdy-session.ts); the client never needs to read the server's.

export const spdyVersion = 3;

export const FrameType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const flagFin = 0x01;

// RST_STREAM status codes.
export const ResetStatus = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  cancel: 5,
  internalError: 6,
} as const;

export type SpdyFrame =
  | { kind: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { kind: 'control'; type: number; flags: number; body: Buffer };

const headerLength = 8;
const maxLength = 0xffffff;

// An uncompressed header block: the number of pairs, then each name and value with its length.
// Names are lower case on the wire (SPDY/3 requires it; the Go side canonicalises on reading).
export function headerBlock(headers: Record<string, string>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [uint32(entries.length)];
  for (const [name, value] of entries) {
    const nameBytes = Buffer.from(name.toLowerCase(), 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    parts.push(uint32(nameBytes.length), nameBytes, uint32(valueBytes.length), valueBytes);
  }
  return Buffer.concat(parts);
}

export function synStreamFrame(streamId: number, compressedHeaders: Buffer, flags = 0): Buffer {
  // Stream id, associated-to stream id (none), priority 0 and slot 0, then the headers.
  const body = Buffer.concat([uint32(streamId & 0x7fffffff), uint32(0), Buffer.from([0, 0]), compressedHeaders]);
  return controlFrame(FrameType.synStream, flags, body);
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  return controlFrame(FrameType.rstStream, 0, Buffer.concat([uint32(streamId & 0x7fffffff), uint32(status)]));
}

export function pingFrame(id: number): Buffer {
  return controlFrame(FrameType.ping, 0, uint32(id));
}

export function goAwayFrame(lastStreamId: number): Buffer {
  return controlFrame(FrameType.goAway, 0, Buffer.concat([uint32(lastStreamId & 0x7fffffff), uint32(0)]));
}

// DATA frames of at most 16 MiB - 1 each; an empty frame with FIN half-closes the stream.
export function dataFrames(streamId: number, data: Buffer, fin = false): Buffer[] {
  const frames: Buffer[] = [];
  let offset = 0;
  do {
    const chunk = data.subarray(offset, offset + maxLength);
    offset += chunk.length;
    const last = offset >= data.length;
    const frame = Buffer.allocUnsafe(headerLength + chunk.length);
    frame.writeUInt32BE(streamId & 0x7fffffff, 0);
    frame.writeUInt32BE((((fin && last ? flagFin : 0) << 24) | chunk.length) >>> 0, 4);
    chunk.copy(frame, headerLength);
    frames.push(frame);
  } while (offset < data.length);
  return frames;
}

// A control frame of any type (the client's own are above; tests build the server's with it).
export function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(headerLength + body.length);
  frame.writeUInt16BE(0x8000 | spdyVersion, 0);
  frame.writeUInt16BE(type, 2);
  frame.writeUInt32BE(((flags << 24) | body.length) >>> 0, 4);
  body.copy(frame, headerLength);
  return frame;
}

function uint32(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}

// The stream id a control frame is about (SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE: its first 31 bits).
export function controlStreamId(frame: { body: Buffer }): number {
  return frame.body.length >= 4 ? frame.body.readUInt32BE(0) & 0x7fffffff : 0;
}

// Reads frames from a byte stream, whatever its chunking. Control frames come out whole; a DATA
// frame's payload comes out in pieces as its bytes arrive (without copying) — `fin` is set on the
// last piece only.
export class FrameReader {
  private header: Buffer = Buffer.alloc(0);
  private current: { control: boolean; type: number; streamId: number; flags: number; left: number } | undefined;
  private body: Buffer[] = [];

  push(chunk: Buffer): SpdyFrame[] {
    const frames: SpdyFrame[] = [];
    let offset = 0;
    while (offset < chunk.length || (this.current !== undefined && this.current.left === 0)) {
      if (this.current === undefined) {
        const want = headerLength - this.header.length;
        const piece = chunk.subarray(offset, offset + want);
        offset += piece.length;
        this.header = this.header.length === 0 ? piece : Buffer.concat([this.header, piece]);
        if (this.header.length < headerLength) {
          this.header = Buffer.from(this.header);
          break;
        }
        const first = this.header.readUInt32BE(0);
        const control = (first & 0x80000000) !== 0;
        this.current = {
          control,
          type: first & 0xffff,
          streamId: first & 0x7fffffff,
          flags: this.header[4]!,
          left: this.header.readUInt32BE(4) & maxLength,
        };
        this.header = Buffer.alloc(0);
      }
      const frame = this.current;
      const piece = chunk.subarray(offset, offset + frame.left);
      offset += piece.length;
      frame.left -= piece.length;
      if (frame.control) this.body.push(piece);
      else if (piece.length > 0 || frame.left === 0) {
        frames.push({ kind: 'data', streamId: frame.streamId, fin: frame.left === 0 && (frame.flags & flagFin) !== 0, data: piece });
      }
      if (frame.left === 0) {
        if (frame.control) frames.push({ kind: 'control', type: frame.type, flags: frame.flags, body: Buffer.concat(this.body) });
        this.body = [];
        this.current = undefined;
      }
    }
    return frames;
  }
}
