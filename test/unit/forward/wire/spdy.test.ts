// The SPDY/3.1 client under the API server's port-forward tunnel, against a fake tunnel: the frames
// it sends (checked the way the kubelet's Go side reads them) and what it does with the frames it
// gets — including frames that arrive before anyone listens.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import { headerDictionary } from '../../../../src/forward/wire/spdy-dictionary.js';
import { FrameReader, FrameType, controlFrame, dataFrames, pingFrame, type SpdyFrame } from '../../../../src/forward/wire/spdy.js';
import { SpdySession, SpdyStreamError, type ByteTunnel, type SpdyStream } from '../../../../src/forward/wire/spdy-session.js';

class FakeTunnel extends EventEmitter implements ByteTunnel {
  readonly written: Buffer[] = [];
  paused = false;
  closed = false;
  start(): void {}
  write(data: Buffer): boolean {
    this.written.push(data);
    return true;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  close(): void {
    this.closed = true;
  }
  destroy(): void {
    this.closed = true;
  }
  // The frames the session sent so far, parsed as the server would.
  frames(): SpdyFrame[] {
    return new FrameReader().push(Buffer.concat(this.written));
  }
}

const uint32 = (...values: number[]) => Buffer.concat(values.map((v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; }));
const synReply = (id: number) => controlFrame(FrameType.synReply, 0, uint32(id));
const reset = (id: number, status: number) => controlFrame(FrameType.rstStream, 0, uint32(id, status));
const synStreams = (tunnel: FakeTunnel) =>
  tunnel.frames().filter((f): f is Extract<SpdyFrame, { kind: 'control' }> => f.kind === 'control' && f.type === FrameType.synStream);

// Header compression runs off the main thread: wait until `count` SYN_STREAMs went out.
async function sent(tunnel: FakeTunnel, count: number): Promise<void> {
  const deadline = Date.now() + 2000;
  while (synStreams(tunnel).length < count) {
    if (Date.now() > deadline) assert.fail(`fewer than ${count} SYN_STREAMs were sent`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function opened(session: SpdySession, tunnel: FakeTunnel, headers: Record<string, string>): Promise<SpdyStream> {
  const count = synStreams(tunnel).length + 1;
  const opening = session.openStream(headers);
  await sent(tunnel, count);
  tunnel.emit('data', synReply(count * 2 - 1));
  return opening;
}

describe('SPDY session', () => {
  test('SYN_STREAMs carry odd, increasing ids and header blocks the Go side can read', async () => {
    const tunnel = new FakeTunnel();
    const session = new SpdySession(tunnel);
    // Never answered: they fail when the session closes at the end.
    session.openStream({ streamType: 'error', port: '8080', requestID: '0' }).catch(() => {});
    session.openStream({ streamType: 'data', port: '8080', requestID: '0' }).catch(() => {});
    await sent(tunnel, 2);
    const syns = synStreams(tunnel);
    assert.deepEqual(syns.map((f) => f.body.readUInt32BE(0)), [1, 3]);
    const blocks = syns.map((f) => f.body.subarray(10));
    // zlib header with FDICT and the dictionary's Adler-32, which Go's zlib.NewReaderDict checks.
    assert.equal(blocks[0]!.readUInt32BE(2).toString(16), 'e3c6a7c2');
    // Both blocks belong to one zlib stream, as the Go framer reads them.
    const inflated = zlib.inflateSync(Buffer.concat(blocks), { dictionary: headerDictionary, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const pairs: string[] = [];
    let offset = 0;
    while (offset < inflated.length) {
      const count = inflated.readUInt32BE(offset);
      offset += 4;
      for (let i = 0; i < count; i++) {
        const name = inflated.subarray(offset + 4, offset + 4 + inflated.readUInt32BE(offset)).toString();
        offset += 4 + name.length;
        const value = inflated.subarray(offset + 4, offset + 4 + inflated.readUInt32BE(offset)).toString();
        offset += 4 + value.length;
        pairs.push(`${name}=${value}`);
      }
    }
    assert.deepEqual(pairs, ['streamtype=error', 'port=8080', 'requestid=0', 'streamtype=data', 'port=8080', 'requestid=0']);
    session.close();
  });

  test('data that follows the SYN_REPLY in the same read is kept until the reader resumes', async () => {
    const tunnel = new FakeTunnel();
    const session = new SpdySession(tunnel);
    const opening = session.openStream({ streamType: 'data', port: '80', requestID: '0' });
    await sent(tunnel, 1);
    tunnel.emit('data', Buffer.concat([synReply(1), ...dataFrames(1, Buffer.from('hello'), true)]));
    const stream = await opening;
    const seen: string[] = [];
    stream.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    stream.on('end', () => seen.push('<end>'));
    stream.resume();
    assert.deepEqual(seen, ['hello', '<end>']);
  });

  test('write sends DATA, end sends FIN; the stream closes once both sides finished', async () => {
    const tunnel = new FakeTunnel();
    const session = new SpdySession(tunnel);
    const stream = await opened(session, tunnel, { streamType: 'data' });
    stream.resume();
    let closed = false;
    stream.on('close', () => (closed = true));
    stream.write(Buffer.from('ping'));
    stream.end();
    const data = tunnel.frames().filter((f) => f.kind === 'data');
    assert.deepEqual(data.map((f) => f.kind === 'data' && [f.streamId, f.data.toString(), f.fin]), [[1, 'ping', false], [1, '', true]]);
    assert.equal(closed, false, 'the peer may still send');
    tunnel.emit('data', Buffer.concat(dataFrames(1, Buffer.from('pong'), true)));
    assert.equal(closed, true);
    assert.equal(session.streamCount, 0);
  });

  test('a stream the kubelet refuses fails to open; a reset later closes it with the reason', async () => {
    const tunnel = new FakeTunnel();
    const session = new SpdySession(tunnel);
    const refused = session.openStream({ streamType: 'data' });
    await sent(tunnel, 1);
    tunnel.emit('data', reset(1, 3));
    await assert.rejects(refused, (error: unknown) => error instanceof SpdyStreamError && /REFUSED_STREAM/.test(error.message));
    const stream = await opened(session, tunnel, { streamType: 'data' });
    let reason: Error | undefined;
    stream.on('close', (error?: Error) => (reason = error));
    tunnel.emit('data', reset(3, 6));
    assert.match(reason?.message ?? '', /INTERNAL_ERROR/);
  });

  test('the server\'s pings are answered, and a GOAWAY stops new streams', async () => {
    const tunnel = new FakeTunnel();
    const session = new SpdySession(tunnel);
    tunnel.emit('data', pingFrame(2));
    tunnel.emit('data', pingFrame(3));
    assert.deepEqual(tunnel.frames().map((f) => f.kind === 'control' && [f.type, f.body.readUInt32BE(0)]), [[FrameType.ping, 2]]);
    tunnel.emit('data', controlFrame(FrameType.goAway, 0, uint32(0, 0)));
    assert.equal(session.usable, false);
    await assert.rejects(session.openStream({ streamType: 'data' }), /closed/);
  });

  test('when the tunnel breaks, open streams close with the reason', async () => {
    const tunnel = new FakeTunnel();
    const session = new SpdySession(tunnel);
    const stream = await opened(session, tunnel, { streamType: 'data' });
    const pending = session.openStream({ streamType: 'data' });
    let reason: Error | undefined;
    stream.on('close', (error?: Error) => (reason = error));
    await sent(tunnel, 2);
    tunnel.emit('close', new Error('socket hang up'));
    assert.match(reason?.message ?? '', /the tunnel to the pod broke: socket hang up/);
    await assert.rejects(pending, /the tunnel to the pod/);
  });

  test('a paused stream holds its data, and past 1 MiB stops the whole tunnel until it resumes', async () => {
    const tunnel = new FakeTunnel();
    const session = new SpdySession(tunnel);
    const stream = await opened(session, tunnel, { streamType: 'data' });
    let received = 0;
    stream.on('data', (chunk: Buffer) => (received += chunk.length));
    stream.resume();
    stream.pause();
    tunnel.emit('data', Buffer.concat(dataFrames(1, Buffer.alloc(600 * 1024))));
    assert.equal(tunnel.paused, false);
    tunnel.emit('data', Buffer.concat(dataFrames(1, Buffer.alloc(600 * 1024))));
    assert.equal(tunnel.paused, true);
    assert.equal(received, 0);
    stream.resume();
    assert.equal(received, 1200 * 1024);
    assert.equal(tunnel.paused, false);
  });
});

describe('SPDY frames', () => {
  test('a frame split over reads is read once whole; data frames over 16 MiB are split', () => {
    const reader = new FrameReader();
    const bytes = Buffer.concat(dataFrames(5, Buffer.from('abcdef'), true));
    assert.deepEqual(reader.push(bytes.subarray(0, 7)), []);
    assert.deepEqual(reader.push(bytes.subarray(7)), [{ kind: 'data', streamId: 5, fin: true, data: Buffer.from('abcdef') }]);
    const big = dataFrames(1, Buffer.alloc(0xffffff + 10), true);
    assert.equal(big.length, 2);
    assert.deepEqual(new FrameReader().push(Buffer.concat(big)).map((f) => f.kind === 'data' && [f.data.length, f.fin]), [[0xffffff, false], [10, true]]);
  });
});
