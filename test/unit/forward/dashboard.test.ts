// The forward dashboard rendered once at a fixed width: what a user sees on a terminal.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import chalk from 'chalk';
import { renderToString } from 'ink';
import { createElement } from 'react';
import type { ForwardView } from '../../../src/forward/view.js';
import { ForwardDashboard } from '../../../src/ui/forward-dashboard.js';

const columns = 100;
const render = (view: ForwardView, color = false) => renderToString(createElement(ForwardDashboard, { view, color }), { columns });
// The words a reader sees: no colour codes, no trailing blanks.
const words = (output: string) => stripVTControlCharacters(output).replace(/ +$/gm, '');

const busy: ForwardView = {
  namespace: 'shop',
  service: 'web',
  ports: [
    {
      port: 'http',
      servicePort: 'http 80/TCP',
      listening: ['127.0.0.1:8080', '[::1]:8080'],
      backends: [
        { pod: 'web-7d9c5b6f4d-7b2nj', node: 'kwok-node-b', address: '10.244.2.8', targetPort: 8080, state: 'ready', open: 2, sent: 1536, received: 5 * 1024 * 1024 },
        { pod: 'web-7d9c5b6f4d-nfh7v', node: 'kwok-node-a', address: '10.244.1.12', targetPort: 8080, state: 'ready', open: 1, sent: 300, received: 4096 },
        { pod: 'web-7d9c5b6f4d-tl7bw', node: 'kwok-node-c', address: '10.244.3.9', targetPort: 8080, state: 'not-ready', open: 0, sent: 0, received: 0 },
      ],
      ready: 2,
      open: 3,
      waiting: 0,
      sent: 1836,
      received: 5 * 1024 * 1024 + 4096,
      waitMs: 30_000,
      lastError: 'web-7d9c5b6f4d-tl7bw: the API server answered 404: pods "web-7d9c5b6f4d-tl7bw" not found',
    },
  ],
  recent: [
    '09:00:01 port http: connection 3 from 127.0.0.1:51000 -> pod web-7d9c5b6f4d-7b2nj:8080',
    '09:00:02 port http: endpoint web-7d9c5b6f4d-tl7bw on kwok-node-c is now not ready, target port 8080 (2 ready)',
  ],
};

const expected = `svc-trace forward shop/web                                                         q or Ctrl-C stops

port http 80/TCP → 127.0.0.1:8080, [::1]:8080
  2/3 endpoints ready · 3 open · 0 waiting · sent 1.8 KiB · received 5.0 MiB
  POD                               NODE            TARGET  STATE         OPEN  SENT       RECEIVED
  web-7d9c5b6f4d-7b2nj              kwok-node-b     8080    ready         2     1.5 KiB    5.0 MiB
  web-7d9c5b6f4d-nfh7v              kwok-node-a     8080    ready         1     300 B      4.0 KiB
  web-7d9c5b6f4d-tl7bw              kwok-node-c     8080    not ready     0     0 B        0 B
  last error: web-7d9c5b6f4d-tl7bw: the API server answered 404: pods "web-7d9c5b6f4d-tl7bw" not fo…

recent events
  09:00:01 port http: connection 3 from 127.0.0.1:51000 -> pod web-7d9c5b6f4d-7b2nj:8080
  09:00:02 port http: endpoint web-7d9c5b6f4d-tl7bw on kwok-node-c is now not ready, target port 80…`;

test('per port: where it listens, each endpoint with pod, node, target port, state, connections and bytes, the last error', () => {
  assert.equal(words(render(busy)), expected);
});

test('no line is wider than the terminal: long lines are cut with an ellipsis', () => {
  for (const line of render(busy).split('\n')) assert.ok([...stripVTControlCharacters(line)].length <= columns, line);
});

test('with no ready endpoint it says that new connections wait, and how many do', () => {
  const waiting: ForwardView = {
    ...busy,
    ports: [{ ...busy.ports[0]!, backends: [], ready: 0, open: 0, waiting: 2, lastError: undefined }],
    recent: [],
    notice: 'following the endpoints failed (connection refused); retrying',
  };
  const output = words(render(waiting));
  assert.match(output, /following the endpoints failed \(connection refused\); retrying/);
  assert.match(output, /0\/0 endpoints ready · 0 open · 2 waiting/);
  assert.match(output, /^  <none>$/m);
  assert.match(output, /no ready endpoint: new connections wait up to 30s for one \(2 waiting\)/);
});

test('with colour, states are coloured: ready green, not ready yellow', () => {
  const level = chalk.level;
  chalk.level = 1;
  try {
    const output = render(busy, true);
    assert.ok(output.includes(`${chalk.green('ready')}`), 'ready is green');
    assert.ok(output.includes(`${chalk.yellow('not ready')}`), 'not ready is yellow');
    assert.equal(words(output), expected);
  } finally {
    chalk.level = level;
  }
});
