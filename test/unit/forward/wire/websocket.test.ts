// The websocket framing under the SPDY tunnel: masked client frames of every length class, server
// frames split over reads, pings answered, a close answered and reported.

import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { test } from 'node:test';
import { FrameParser, Opcode, WebSocketStream, encodeFrame } from '../../../../src/forward/wire/websocket.js';

test('client frames are masked, and read back whatever their length class', () => {
  for (const length of [0, 125, 126, 65535, 65536, 200_000]) {
    const payload = Buffer.alloc(length, 7);
    const frame = encodeFrame(Opcode.binary, payload);
    assert.equal(frame[1]! & 0x80, 0x80, 'the mask bit is set');
    assert.ok(length === 0 || !frame.subarray(frame.length - length).equals(payload), 'the payload is masked');
    assert.deepEqual(new FrameParser().push(frame), [{ fin: true, opcode: Opcode.binary, payload }]);
  }
});

test('server frames split over reads come out in order, data as pieces of one byte stream', () => {
  const bytes = Buffer.concat([
    encodeFrame(Opcode.binary, Buffer.from('hello'), null),
    encodeFrame(Opcode.ping, Buffer.from('are you there'), null),
    encodeFrame(Opcode.binary, Buffer.alloc(70_000, 1), null),
  ]);
  const parser = new FrameParser();
  const frames = [3, 9, 20, 4000, bytes.length].reduce<{ at: number; out: ReturnType<FrameParser['push']> }>(
    (state, end) => ({ at: end, out: [...state.out, ...parser.push(bytes.subarray(state.at, end))] }),
    { at: 0, out: [] },
  ).out;
  const data = Buffer.concat(frames.filter((f) => f.opcode === Opcode.binary).map((f) => f.payload));
  assert.deepEqual(data, Buffer.concat([Buffer.from('hello'), Buffer.alloc(70_000, 1)]));
  // A control frame comes out whole, between the data it was sent between.
  const ping = frames.findIndex((f) => f.opcode === Opcode.ping);
  assert.equal(frames[ping]!.payload.toString(), 'are you there');
  assert.equal(Buffer.concat(frames.slice(0, ping).map((f) => f.payload)).toString(), 'hello');
  // The last piece of each frame carries FIN.
  assert.equal(frames.filter((f) => f.opcode === Opcode.binary && f.fin).length, 2);
});

// A socket whose other end is the test.
function fakeSocket() {
  const written: Buffer[] = [];
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk);
      callback();
    },
  });
  return { socket, written: () => new FrameParser().push(Buffer.concat(written)) };
}

test('binary payloads are the byte stream; pings get pongs; a close is answered and reported', async () => {
  const { socket, written } = fakeSocket();
  // Bytes that came with the upgrade's answer are read first, once the reader starts.
  const stream = new WebSocketStream(socket, encodeFrame(Opcode.binary, Buffer.from('early'), null));
  const data: string[] = [];
  stream.on('data', (chunk: Buffer, messageStart: boolean) => data.push(`${messageStart ? '|' : ''}${chunk.toString()}`));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(data, []);
  stream.start();
  socket.push(encodeFrame(Opcode.ping, Buffer.from('p'), null));
  socket.push(encodeFrame(Opcode.binary, Buffer.from('next'), null));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(data, ['|early', '|next']);
  assert.deepEqual(written().map((f) => [f.opcode, f.payload.toString()]), [[Opcode.pong, 'p']]);
  const closed = new Promise((resolve) => stream.on('close', resolve));
  socket.push(encodeFrame(Opcode.close, Buffer.from([0x03, 0xe8]), null));
  socket.push(null);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(written().at(-1)?.opcode, Opcode.close);
  socket.destroy();
  await closed;
});
