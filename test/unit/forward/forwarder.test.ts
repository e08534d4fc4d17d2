// The forward engine end to end on this machine: local listeners, the real websocket and SPDY
// clients, and a fake API server that speaks the kubelet's port-forward protocols to one echo app
// per pod — over the SPDY tunnel (kube-apiserver ≥ 1.31), and over v4.channel.k8s.io where an
// older API server refuses the tunnel. What a user notices: connections spread over the pods, a
// pod that leaves takes its connections (and no new ones), connections wait while nothing is
// ready, bytes arrive intact, and a client that finishes sending still gets the whole answer.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { Gateway } from '../../../src/cluster/gateway.js';
import { SvcTraceError } from '../../../src/errors.js';
import type { ForwardEvent, ForwardEventInput } from '../../../src/forward/events.js';
import { PortForwarder } from '../../../src/forward/forwarder.js';
import { matchServicePort, parseAddresses, parsePortSpec } from '../../../src/forward/port-spec.js';
import { portForwardTransport, type Transport } from '../../../src/forward/wire/transport.js';
import { startEchoApp, startFakePortForward, type FakePortForward } from './fake-portforward.js';
import { loadFixture, without, withConditions } from './fixtures.js';

const web = loadFixture('healthy-web');
const [podA, podB] = ['web-7d9c5b6f4d-7b2nj', 'web-7d9c5b6f4d-nfh7v'];
const notReady = { ready: false, serving: false, terminating: false };

interface Client {
  socket: net.Socket;
  // Everything received so far.
  text: () => string;
  closed: Promise<void>;
}

function connectClient(address: string): Client {
  const [, port] = /:(\d+)$/.exec(address)!;
  const socket = net.connect(Number(port), '127.0.0.1');
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, text: () => text, closed };
}

async function until(condition: () => boolean, what: string, milliseconds = 5000): Promise<void> {
  const deadline = Date.now() + milliseconds;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const greeting = async (client: Client) => {
  await until(() => client.text().includes('\n'), 'a greeting');
  return client.text().split('\n')[0];
};

for (const tunnel of [true, false]) {
  const protocol = tunnel ? 'SPDY/3.1+portforward.k8s.io' : 'v4.channel.k8s.io';
  describe(`the forward engine over ${protocol}${tunnel ? '' : ' (an API server without the tunnel)'}`, () => {
    let fake: FakePortForward;
    const apps: Array<{ close: () => Promise<void> }> = [];
    let events: ForwardEvent[] = [];
    let connections = 0;
    // Closed after each test, whatever happened in it.
    const running: Array<{ forwarder: PortForwarder; transport: Transport }> = [];

    before(async () => {
      fake = await startFakePortForward({ tunnel });
      for (const pod of [podA, podB]) await addApp(pod);
    });
    afterEach(async () => {
      for (const { forwarder, transport } of running.splice(0)) {
        await forwarder.close();
        transport.close();
      }
    });
    after(async () => {
      await fake.close();
      await Promise.all(apps.map((app) => app.close()));
    });

    async function addApp(pod: string): Promise<void> {
      const app = await startEchoApp(pod);
      apps.push(app);
      fake.pods.set(pod, app.port);
    }

    async function start(port: string, waitMs = 5000): Promise<PortForwarder> {
      events = [];
      const gateway = new Gateway({ server: fake.url, requestOptions: { headers: { Authorization: 'Bearer forward-token' } }, timeoutMs: 0, context: 'test' });
      const transport = portForwardTransport(gateway, { timeoutMs: 5000 });
      const forwarder = new PortForwarder({
        namespace: 'shop',
        service: 'web',
        forwarded: matchServicePort(web.service, parsePortSpec(port)),
        addresses: parseAddresses('127.0.0.1'),
        waitMs,
        openStream: transport.open,
        emit: (event: ForwardEventInput, label: string) => events.push({ time: new Date().toISOString(), port: label, ...event } as ForwardEvent),
        nextConnection: () => (connections += 1),
      });
      await forwarder.listen();
      running.push({ forwarder, transport });
      return forwarder;
    }

    test('connections take turns over the ready pods, on each pod\'s target port, with the kubeconfig\'s credentials', async () => {
      const forwarder = await start(':http');
      forwarder.update(web.slices);
      fake.requests.length = 0;
      fake.spdyStreams.length = 0;
      const clients: Client[] = [];
      const greetings: string[] = [];
      for (let i = 0; i < 4; i++) {
        clients.push(connectClient(forwarder.addresses[0]!));
        greetings.push((await greeting(clients[i]!))!);
      }
      assert.deepEqual(greetings.sort(), [`hello from ${podA}`, `hello from ${podA}`, `hello from ${podB}`, `hello from ${podB}`]);
      assert.ok(fake.requests.every((r) => r.authorization === 'Bearer forward-token'));
      if (tunnel) {
        // One tunnel per pod, two streams (error, data) per connection, as client-go opens them.
        assert.deepEqual(fake.requests.map((r) => [r.path, r.protocols]).sort(), [
          [`/api/v1/namespaces/shop/pods/${podA}/portforward`, protocol],
          [`/api/v1/namespaces/shop/pods/${podB}/portforward`, protocol],
        ]);
        assert.equal(fake.spdyStreams.length, 8);
        assert.deepEqual(new Set(fake.spdyStreams.map((h) => `${h.streamtype} ${h.port}`)), new Set(['error 8080', 'data 8080']));
      } else {
        const v4 = fake.requests.filter((r) => r.protocols === protocol);
        assert.equal(v4.length, 4, 'one websocket per connection');
        assert.deepEqual([...new Set(v4.map((r) => r.path))].sort(), [
          `/api/v1/namespaces/shop/pods/${podA}/portforward?ports=8080`,
          `/api/v1/namespaces/shop/pods/${podB}/portforward?ports=8080`,
        ]);
        assert.equal(fake.requests.filter((r) => r.protocols !== protocol).length, 1, 'the refused tunnel is asked for once');
      }
      assert.equal(forwarder.view().open, 4);
      for (const client of clients) client.socket.destroy();
    });

    test('megabytes arrive intact both ways, and the counters say how many', async () => {
      const forwarder = await start(':http');
      forwarder.update(web.slices);
      const client = connectClient(forwarder.addresses[0]!);
      const first = await greeting(client);
      const payload = randomBytes(8 * 1024 * 1024);
      client.socket.write(payload);
      const expected = first!.length + 1 + payload.length;
      await until(() => client.text().length >= expected, 'the echo of 8 MiB', 20_000);
      const echoed = Buffer.from(client.text().slice(first!.length + 1), 'latin1');
      assert.equal(createHash('sha256').update(echoed).digest('hex'), createHash('sha256').update(payload).digest('hex'));
      const view = forwarder.view();
      assert.equal(view.sent, payload.length);
      assert.equal(view.received, expected);
      client.socket.destroy();
    });

    test(
      'a client that finishes sending still gets the whole answer, and the connection closes',
      { skip: tunnel ? false : 'v4.channel.k8s.io cannot pass a half-close to the pod' },
      async () => {
        const forwarder = await start(':http');
        forwarder.update(web.slices);
        const client = connectClient(forwarder.addresses[0]!);
        const pod = (await greeting(client))!.replace('hello from ', '');
        client.socket.end('ping\n');
        await client.closed;
        assert.equal(client.text(), `hello from ${pod}\nping\nbye from ${pod}\n`);
        await until(() => events.some((e) => e.type === 'connection-closed'), 'the closing to be reported');
        const closed = events.find((e) => e.type === 'connection-closed');
        assert.deepEqual(closed?.type === 'connection-closed' && [closed.by, closed.sent, closed.reason], ['pod', 5, undefined]);
        await until(() => forwarder.view().open === 0, 'no connection left open');
      },
    );

    test('the API server goes away mid-answer: the client gets a reset, not a clean end, and the close says why', async () => {
      const forwarder = await start(':http');
      forwarder.update(web.slices);
      const client = connectClient(forwarder.addresses[0]!);
      let reset = false;
      client.socket.on('error', (error: NodeJS.ErrnoException) => (reset ||= error.code === 'ECONNRESET'));
      let ended = false;
      client.socket.on('end', () => (ended = true));
      await greeting(client);
      client.socket.write('ping\n');
      await until(() => client.text().includes('ping\n'), 'the echo');
      fake.dropConnections();
      await client.closed;
      assert.ok(reset, 'the local connection was reset');
      assert.equal(ended, false, 'no end of stream that would pass for the whole answer');
      await until(() => events.some((e) => e.type === 'connection-closed'), 'the closing to be reported');
      const closed = events.find((e) => e.type === 'connection-closed');
      assert.ok(closed?.type === 'connection-closed' && /the (tunnel to the pod broke|connection to the API server broke)/.test(closed.reason ?? ''), JSON.stringify(closed));
    });

    test('a pod that leaves the endpoints closes its connections; new ones go to the others', async () => {
      const forwarder = await start(':http');
      forwarder.update(web.slices);
      const first = connectClient(forwarder.addresses[0]!);
      const second = connectClient(forwarder.addresses[0]!);
      const onA = (await greeting(first)) === `hello from ${podA}` ? first : second;
      await greeting(second);
      forwarder.update([without(web.slices[0]!, podA)]);
      await onA.closed;
      await until(() => events.some((e) => e.type === 'connection-closed'), 'the closing to be reported');
      const closed = events.find((e) => e.type === 'connection-closed');
      assert.equal(closed?.type === 'connection-closed' && closed.reason, `pod ${podA} left the Service's endpoints`);
      const onB = onA === first ? second : first;
      assert.equal(onB.socket.destroyed, false, 'the other pod\'s connection stays open');
      for (let i = 0; i < 3; i++) assert.equal(await greeting(connectClient(forwarder.addresses[0]!)), `hello from ${podB}`);
    });

    test('with no ready endpoint, new connections wait and go on when one is ready again', async () => {
      const forwarder = await start(':http');
      const noneReady = withConditions(withConditions(web.slices[0]!, podA, notReady), podB, notReady);
      forwarder.update([noneReady]);
      assert.ok(events.some((e) => e.type === 'waiting' && /none of the 2 endpoints of service web is ready for port http; new connections wait up to 5s for one/.test(e.message)));
      const client = connectClient(forwarder.addresses[0]!);
      await until(() => events.some((e) => e.type === 'connection-waiting'), 'the connection to wait');
      assert.equal(forwarder.view().waiting, 1);
      forwarder.update([withConditions(noneReady, podB, { ready: true, serving: true, terminating: false })]);
      assert.equal(await greeting(client), `hello from ${podB}`);
      assert.ok(events.some((e) => e.type === 'resumed' && e.ready === 1));
      client.socket.destroy();
    });

    test('a connection waits no longer than the wait timeout', async () => {
      const forwarder = await start(':http', 300);
      forwarder.update([]);
      const client = connectClient(forwarder.addresses[0]!);
      await client.closed;
      await until(() => events.some((e) => e.type === 'connection-closed'), 'the closing to be reported');
      const closed = events.find((e) => e.type === 'connection-closed');
      assert.equal(closed?.type === 'connection-closed' && closed.reason, 'no ready endpoint within 300ms');
    });

    test('a pod the API server no longer knows is skipped: the connection goes to another', async () => {
      const forwarder = await start(':http');
      forwarder.update(web.slices);
      fake.pods.delete(podA);
      try {
        for (let i = 0; i < 2; i++) assert.equal(await greeting(connectClient(forwarder.addresses[0]!)), `hello from ${podB}`);
        const retry = events.find((e) => e.type === 'connection-retry');
        assert.match(retry?.type === 'connection-retry' ? retry.message : '', /the API server answered 404: pods "web-7d9c5b6f4d-7b2nj" not found/);
        assert.match(forwarder.view().lastError ?? '', /not found/);
      } finally {
        await addApp(podA);
      }
    });

    test('nothing listening on the pod\'s port: the client sees the connection refused, the error is kept', async () => {
      const forwarder = await start(':http');
      forwarder.update([without(web.slices[0]!, podB)]);
      const closedApp = await startEchoApp('gone');
      const port = fake.pods.get(podA)!;
      fake.pods.set(podA, closedApp.port);
      await closedApp.close();
      try {
        const client = connectClient(forwarder.addresses[0]!);
        await client.closed;
        assert.equal(client.text(), '');
        await until(() => forwarder.view().lastError !== undefined, 'the error to be kept');
        assert.match(forwarder.view().lastError!, new RegExp(`${podA}: error forwarding port 8080 to pod ${podA}, uid : failed to connect to localhost:8080 inside namespace "${podA}": dial tcp4 127\\.0\\.0\\.1:8080: connect: connection refused`));
      } finally {
        fake.pods.set(podA, port);
      }
    });

    test('a local port already in use is a usage error that says so', async () => {
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as net.AddressInfo).port;
      try {
        await assert.rejects(start(`${port}:http`), (error: unknown) => {
          assert.ok(error instanceof SvcTraceError);
          assert.equal(error.exitCode, 2);
          assert.equal(error.message, `cannot listen on 127.0.0.1:${port}: the port is already in use`);
          return true;
        });
      } finally {
        taken.close();
      }
    });

    test('stopping closes every open connection and the listener', async () => {
      const forwarder = await start(':http');
      forwarder.update(web.slices);
      const clients = [connectClient(forwarder.addresses[0]!), connectClient(forwarder.addresses[0]!)];
      for (const client of clients) await greeting(client);
      await forwarder.close();
      await Promise.all(clients.map((client) => client.closed));
      const refused = connectClient(forwarder.addresses[0]!);
      await refused.closed;
      assert.equal(refused.text(), '');
    });
  });
}
