// The log lines of forward without a terminal (and their JSON form): what a user reads in a CI log.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ForwardEvent } from '../../../src/forward/events.js';
import { eventJson, formatBytes, formatDuration, formatEvent } from '../../../src/forward/log.js';

const time = '2025-11-20T09:00:00.000Z';

test('listening says where, and to which Service port and target port', () => {
  assert.equal(
    formatEvent({ time, port: 'http', type: 'listening', address: '127.0.0.1:8080', service: 'svc/web', targetPort: 'http' }),
    'Forwarding from 127.0.0.1:8080 -> svc/web:http (target port http)',
  );
});

test('each connection is told with its client, its pod, and what it carried', () => {
  assert.equal(
    formatEvent({ time, port: 'http', type: 'connection-opened', connection: 3, client: '127.0.0.1:51000', pod: 'web-a', targetPort: 8080 }),
    'port http: connection 3 from 127.0.0.1:51000 -> pod web-a:8080',
  );
  assert.equal(
    formatEvent({ time, port: 'http', type: 'connection-closed', connection: 3, pod: 'web-a', sent: 120, received: 4096, durationMs: 1500, by: 'forward', reason: "pod web-a left the Service's endpoints" }),
    "port http: connection 3 closed by svc-trace (web-a, sent 120 B, received 4.0 KiB, 1.5s): pod web-a left the Service's endpoints",
  );
});

test('endpoint changes and waiting say how many endpoints are ready', () => {
  assert.equal(
    formatEvent({ time, port: 'http', type: 'endpoint', change: 'changed', pod: 'web-a', node: 'kwok-node-a', state: 'not-ready', targetPort: 8080, ready: 0 }),
    'port http: endpoint web-a on kwok-node-a is now not ready, target port 8080 (0 ready)',
  );
  assert.equal(formatEvent({ time, port: 'http', type: 'resumed', ready: 1 }), 'port http: resumed: 1 ready endpoint');
});

test('-o json: one object per event, with its time and type', () => {
  const event: ForwardEvent = { time, port: 'http', type: 'waiting', message: 'no ready endpoint' };
  assert.deepEqual(JSON.parse(eventJson(event)), event);
  assert.ok(!eventJson(event).includes('\n'));
});

test('bytes and durations in the units a reader expects', () => {
  assert.deepEqual([0, 1023, 1536, 5 * 1024 * 1024, 300 * 1024 * 1024].map(formatBytes), ['0 B', '1023 B', '1.5 KiB', '5.0 MiB', '300 MiB']);
  assert.deepEqual([850, 1500, 123_000, 7_380_000].map(formatDuration), ['850ms', '1.5s', '2m03s', '2h03m']);
});
