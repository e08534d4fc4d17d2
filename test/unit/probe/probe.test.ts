// `--probe` over the fake port-forward server (the kubelet's side of both protocols): one stream
// per ready pod and port, no byte sent, the outcome the user reads — accepted (with the time),
// refused (the kubelet's "connection refused"), timeout, a 403 as a note — and every tunnel
// closed afterwards.

import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { analyze } from '../../../src/analyze/trace.js';
import { Gateway } from '../../../src/cluster/gateway.js';
import { probePort } from '../../../src/probe/connect.js';
import { probeService } from '../../../src/probe/run.js';
import { portForwardTransport } from '../../../src/forward/wire/transport.js';
import { renderText } from '../../../src/render/text.js';
import { loadFixture, snapshotOf } from '../../support/snapshot.js';
import { closedPort, startEchoApp, startFakePortForward, type FakePortForward } from '../forward/fake-portforward.js';

const [podA, podB] = ['web-7d9c5b6f4d-7b2nj', 'web-7d9c5b6f4d-nfh7v'];

// An app that listens and says nothing; it counts the bytes it receives and closes when the client
// has finished sending (as most servers do on EOF).
async function startSilentApp(): Promise<{ port: number; received: () => number; accepted: () => number; close: () => Promise<void> }> {
  let received = 0;
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received: () => received,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const gatewayFor = (fake: FakePortForward) =>
  new Gateway({ server: fake.url, requestOptions: { headers: { Authorization: 'Bearer probe-token' } }, timeoutMs: 0, context: 'test' });

async function until(condition: () => boolean, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const web = () => snapshotOf(loadFixture('healthy-web'));
const run = { limit: 10, timeoutMs: 1000, upgradeTimeoutMs: 5000 };

for (const tunnel of [true, false]) {
  const protocol = tunnel ? 'SPDY/3.1+portforward.k8s.io' : 'v4.channel.k8s.io';
  describe(`probe over ${protocol}`, () => {
    let fake: FakePortForward;
    let silent: Awaited<ReturnType<typeof startSilentApp>>;
    let greeter: Awaited<ReturnType<typeof startEchoApp>>;
    let closed: number;

    before(async () => {
      fake = await startFakePortForward({ tunnel });
      silent = await startSilentApp();
      greeter = await startEchoApp('web');
      closed = await closedPort();
    });
    after(async () => {
      await fake.close();
      await silent.close();
      await greeter.close();
    });

    test('a listening app: accepted, with the time, and not one byte sent to it', async () => {
      fake.pods.set(podA, silent.port);
      const transport = portForwardTransport(gatewayFor(fake), { timeoutMs: 5000 });
      try {
        const before = silent.accepted();
        const result = await probePort(transport.open, 'shop', { pod: podA, servicePort: 'http', port: 8080 }, 1000);
        assert.equal(result.outcome, 'accepted');
        assert.equal(typeof result.milliseconds, 'number');
        assert.equal(silent.accepted(), before + 1, 'the app took one connection');
        assert.equal(silent.received(), 0, 'nothing was sent on it');
        if (tunnel) assert.equal(result.message, undefined, 'the clean close after the half-close says it');
        else assert.match(result.message!, /no refusal within 1000ms \(v4\.channel\.k8s\.io cannot report the accept itself\)/);
      } finally {
        transport.close();
      }
    });

    test('an app that speaks first: accepted as soon as it does', async () => {
      fake.pods.set(podA, greeter.port);
      const transport = portForwardTransport(gatewayFor(fake), { timeoutMs: 5000 });
      try {
        const result = await probePort(transport.open, 'shop', { pod: podA, servicePort: 'http', port: 8080 }, 5000);
        assert.equal(result.outcome, 'accepted');
        assert.equal(result.message, undefined);
      } finally {
        transport.close();
      }
    });

    test('nothing listens on the port: refused, with the kubelet\'s words', async () => {
      fake.pods.set(podA, closed);
      const transport = portForwardTransport(gatewayFor(fake), { timeoutMs: 5000 });
      try {
        const result = await probePort(transport.open, 'shop', { pod: podA, servicePort: 'http', port: 8080 }, 5000);
        assert.equal(result.outcome, 'refused');
        assert.match(result.message!, /^error forwarding port 8080 to pod web-7d9c5b6f4d-7b2nj, uid : .*connect: connection refused$/);
      } finally {
        transport.close();
      }
    });

    test('mixed: one pod refuses, the other accepts — the right pod is named, a warning, and every tunnel is closed after', async () => {
      fake.pods.set(podA, closed);
      fake.pods.set(podB, silent.port);
      fake.requests.length = 0;
      const snapshot = web();
      snapshot.probe = await probeService(gatewayFor(fake), snapshot, { ...run, port: 'http' });
      assert.deepEqual(
        snapshot.probe.probes.map((p) => [p.pod, p.servicePort, p.port, p.outcome]),
        [
          [podA, 'http', 8080, 'refused'],
          [podB, 'http', 8080, 'accepted'],
        ],
      );
      assert.equal(new Set(fake.requests.map((r) => r.path.split('?')[0])).size, 2, 'one tunnel per pod');
      await until(() => fake.open(podA) === 0 && fake.open(podB) === 0, () => `the tunnels to close (open: ${fake.open(podA)}, ${fake.open(podB)})`);
      const trace = analyze(snapshot, { port: 'http' });
      const finding = trace.findings.find((f) => f.id === 'port-not-listening')!;
      assert.equal(finding.level, 'warning');
      assert.match(finding.message, new RegExp(`^1 of 2 probed pods refused a connection on port http \\(target port 8080\\): ${podA}$`));
      assert.equal(trace.verdict, 'degraded');
      const text = renderText(trace, { wide: false, color: false });
      assert.match(text, new RegExp(`port http → ${podA} web:8080/TCP  probe: refused`));
      assert.match(text, new RegExp(`port http → ${podB} web:8080/TCP  probe: accepted \\d+ms`));
    });

    test('every pod refuses: an error, and trace exits broken', async () => {
      fake.pods.set(podA, closed);
      fake.pods.set(podB, closed);
      const snapshot = web();
      snapshot.probe = await probeService(gatewayFor(fake), snapshot, run);
      const trace = analyze(snapshot);
      const refusals = trace.findings.filter((f) => f.id === 'port-not-listening');
      assert.deepEqual(refusals.map((f) => [f.level, f.message.split(':')[0]]), [
        ['error', 'every probed pod (2) refused a connection on port http (target port 8080)'],
        ['error', 'every probed pod (2) refused a connection on port metrics (target port 9090)'],
      ]);
      assert.equal(trace.verdict, 'broken');
    });

    if (tunnel) {
      test('no answer within --probe-timeout: timeout, a warning, and the stream is given up', async () => {
        fake.pods.set(podA, silent.port);
        fake.pods.set(podB, silent.port);
        fake.hanging.add(podB);
        try {
          const snapshot = web();
          snapshot.probe = await probeService(gatewayFor(fake), snapshot, { ...run, timeoutMs: 300, port: 'http' });
          assert.deepEqual(snapshot.probe.probes.map((p) => p.outcome), ['accepted', 'timeout']);
          const trace = analyze(snapshot, { port: 'http' });
          const finding = trace.findings.find((f) => f.id === 'port-probe-timeout')!;
          assert.equal(finding.level, 'warning');
          assert.equal(finding.message, `1 pod(s) did not answer a connection on port http within 300ms: ${podB}`);
          await until(() => fake.open(podB) === 0, 'the tunnel to the silent pod to close');
        } finally {
          fake.hanging.delete(podB);
        }
      });
    }
  });
}

describe('probe without get and create on pods/portforward', () => {
  let fake: FakePortForward;
  before(async () => {
    fake = await startFakePortForward({ tunnel: true, forbidden: true });
    fake.pods.set(podA, 1);
    fake.pods.set(podB, 1);
  });
  after(() => fake.close());

  test('403: a note on the backend hop ("probe not permitted"), no finding, the verdict unchanged', async () => {
    const snapshot = web();
    snapshot.probe = await probeService(gatewayFor(fake), snapshot, run);
    assert.ok(snapshot.probe.probes.every((p) => p.outcome === 'forbidden'));
    const trace = analyze(snapshot);
    const backend = trace.hops.find((h) => h.kind === 'backend')!;
    assert.equal(backend.notes.length, 1);
    assert.match(backend.notes[0]!, /^probe not permitted: the API server answered 403: pods "web-7d9c5b6f4d-\w+" is forbidden: .*cannot get resource "pods\/portforward".* \(it needs get and create on pods\/portforward\)$/);
    assert.equal(backend.status, 'ok');
    assert.equal(trace.verdict, 'ok');
    assert.deepEqual(trace.findings.filter((f) => f.id.startsWith('port-')), []);
  });
});
