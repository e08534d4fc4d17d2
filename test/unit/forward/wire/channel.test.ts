// The frames of v4.channel.k8s.io: what the client sends on channel 0, and what it reads back —
// the port prefix that opens each channel is not data.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChannelReader, encodeData } from '../../../../src/forward/wire/channel.js';

const message = (...bytes: Array<number | string>) =>
  Buffer.concat(bytes.map((b) => (typeof b === 'number' ? Buffer.from([b]) : Buffer.from(b))));

test('data the client sends goes on channel 0, without a port prefix', () => {
  assert.deepEqual(encodeData(Buffer.from('GET /')), message(0, 'GET /'));
});

test('the port that opens channels 0 and 1 is skipped; the data after it is delivered', () => {
  const decoder = new ChannelReader();
  // 8080 = 0x1f90, little endian.
  assert.equal(decoder.read(message(0, 0x90, 0x1f), true), undefined);
  assert.equal(decoder.read(message(1, 0x90, 0x1f), true), undefined);
  assert.deepEqual(decoder.read(message(0, 'hello'), true), { channel: 'data', payload: Buffer.from('hello') });
  // Later frames that start with the same bytes are data.
  assert.deepEqual(decoder.read(message(0, 0x90, 0x1f), true), { channel: 'data', payload: Buffer.from([0x90, 0x1f]) });
});

test('a port prefix in the same message as data, split over two messages, or over two pieces of one, is skipped once', () => {
  const together = new ChannelReader();
  assert.deepEqual(together.read(message(0, 0x50, 0x00, 'hi'), true), { channel: 'data', payload: Buffer.from('hi') });
  const split = new ChannelReader();
  assert.equal(split.read(message(0, 0x50), true), undefined);
  assert.deepEqual(split.read(message(0, 0x00, 'hi'), true), { channel: 'data', payload: Buffer.from('hi') });
  // A message that arrives in pieces: only the first piece starts with the channel byte.
  const pieces = new ChannelReader();
  assert.equal(pieces.read(message(1, 0x50), true), undefined);
  assert.equal(pieces.read(message(0x00), false), undefined);
  assert.deepEqual(pieces.read(message('refused'), false), { channel: 'error', payload: Buffer.from('refused') });
  assert.deepEqual(pieces.read(message(0, 0x50, 0x00, 'x'), true), { channel: 'data', payload: Buffer.from('x') });
});

test('the kubelet\'s error text arrives on channel 1', () => {
  const decoder = new ChannelReader();
  decoder.read(message(1, 0x90, 0x1f), true);
  const frame = decoder.read(message(1, 'error forwarding port 8080 to pod web-1, uid : connection refused'), true);
  assert.equal(frame?.channel, 'error');
  assert.match(frame.channel === 'error' ? frame.payload.toString() : '', /connection refused/);
});
