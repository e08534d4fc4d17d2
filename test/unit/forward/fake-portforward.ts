// A stand-in for the API server's pods/portforward on 127.0.0.1 (plain HTTP) that speaks what the
// kubelet speaks behind it, both ways a client can ask:
// - the SPDY tunnel (`SPDY/3.1+portforward.k8s.io`, kube-apiserver ≥ 1.31): SYN_STREAM pairs
//   (error + data, by requestID) answered with SYN_REPLY, DATA with FIN both ways, the error text
//   on the error stream before the data stream ends; or, with `tunnel: false`, a 400 as an older
//   API server gives;
// - `v4.channel.k8s.io`: the port as 2 little-endian bytes opening channels 0 and 1, data on 0,
//   errors as text on 1, then the websocket closes.
// Each pod leads to a local TCP app; a pod without one answers 404 with a Status, as the API server
// does for a missing pod. A closed app port is reported on the error stream in the kubelet's words and order
// (`... connect: connection refused`); a pod in `hanging` never gets its connection made (no error,
// no data), as when the app's accept queue is full; `forbidden` answers every upgrade with the 403
// that RBAC gives a user without get and create on pods/portforward.

import http, { type IncomingMessage } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { listenLocal, type LocalServer } from '../../support/local-server.js';
import { headerDictionary } from '../../../src/forward/wire/spdy-dictionary.js';
import { FrameReader, FrameType, ResetStatus, controlFrame, controlStreamId, dataFrames, rstStreamFrame } from '../../../src/forward/wire/spdy.js';
import { FrameParser, Opcode, acceptKey, encodeFrame } from '../../../src/forward/wire/websocket.js';

export interface FakePortForward {
  url: string;
  // Upgrade requests seen: path with query, subprotocols asked for, Authorization header.
  requests: Array<{ path: string; protocols: string; authorization?: string }>;
  // Headers of every SPDY stream opened: streamtype, port, requestid.
  spdyStreams: Array<Record<string, string>>;
  // pod → local TCP port of its app; a pod may be added or removed at any time.
  pods: Map<string, number>;
  // Pods whose connection the kubelet never makes.
  hanging: Set<string>;
  // Tunnels (SPDY) or websockets (v4) open per pod.
  open: (pod: string) => number;
  // Drops every open tunnel or websocket without a word, as an API server that goes away does.
  dropConnections: () => void;
  close: () => Promise<void>;
}

const portPattern = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/;
const tunnelProtocol = 'SPDY/3.1+portforward.k8s.io';
const v4Protocol = 'v4.channel.k8s.io';

function status(code: number, reason: string, message: string): string {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  return `HTTP/1.1 ${code} ${http.STATUS_CODES[code]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

// What the kubelet writes on the error stream when it cannot connect to the pod's port.
function kubeletError(port: number, pod: string, error: NodeJS.ErrnoException): string {
  const cause = error.code === 'ECONNREFUSED' ? `failed to connect to localhost:${port} inside namespace "${pod}": dial tcp4 127.0.0.1:${port}: connect: connection refused` : error.message;
  return `error forwarding port ${port} to pod ${pod}, uid : ${cause}`;
}

export async function startFakePortForward(options: { tunnel: boolean; forbidden?: boolean }): Promise<FakePortForward> {
  const pods = new Map<string, number>();
  const hanging = new Set<string>();
  const requests: FakePortForward['requests'] = [];
  const spdyStreams: FakePortForward['spdyStreams'] = [];
  const open = new Map<string, Set<Duplex>>();
  const track = (pod: string, socket: Duplex) => {
    const set = open.get(pod) ?? new Set<Duplex>();
    set.add(socket);
    open.set(pod, set);
    socket.on('close', () => set.delete(socket));
  };
  const server = http.createServer((_request, response) => {
    response.writeHead(400, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Upgrade request required', reason: 'BadRequest', code: 400 }));
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const protocols = String(request.headers['sec-websocket-protocol'] ?? '');
    requests.push({
      path: `${url.pathname}${url.search}`,
      protocols,
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    const match = portPattern.exec(url.pathname);
    const pod = match?.[2] ?? '';
    if (options.forbidden) {
      const message = `pods "${pod}" is forbidden: User "system:serviceaccount:shop:svc-trace-reader" cannot get resource "pods/portforward" in API group "" in the namespace "${match?.[1] ?? ''}"`;
      socket.end(status(403, 'Forbidden', message));
      return;
    }
    const appPort = pods.get(pod);
    if (!match || appPort === undefined) {
      socket.end(status(404, 'NotFound', `pods "${pod}" not found`));
      return;
    }
    const offered = protocols.split(',').map((p) => p.trim());
    if (offered.includes(tunnelProtocol) && !options.tunnel) {
      socket.end(status(400, 'BadRequest', 'unable to upgrade: no tunneling spdy protocols provided'));
      return;
    }
    const protocol = offered.includes(tunnelProtocol) ? tunnelProtocol : offered.includes(v4Protocol) ? v4Protocol : undefined;
    if (!protocol) {
      socket.end(status(400, 'BadRequest', 'unable to upgrade: unsupported protocol'));
      return;
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${acceptKey(String(request.headers['sec-websocket-key']))}\r\n` +
        `Sec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
    );
    track(pod, socket);
    const hangs = () => hanging.has(pod);
    if (protocol === tunnelProtocol) serveTunnel(socket, head, pod, appPort, spdyStreams, hangs);
    else serveV4(socket, head, pod, Number(url.searchParams.get('ports')), appPort, hangs);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spdyStreams,
    pods,
    hanging,
    open: (pod) => open.get(pod)?.size ?? 0,
    dropConnections: () => {
      for (const set of open.values()) for (const socket of set) socket.destroy();
    },
    close: async () => {
      for (const set of open.values()) for (const socket of set) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// The kubelet's v4.channel.k8s.io websocket server, over a raw socket.
function serveV4(socket: Duplex, head: Buffer, pod: string, port: number, appPort: number, hangs: () => boolean): void {
  const send = (channel: number, bytes: Buffer) => {
    if (!socket.destroyed) socket.write(encodeFrame(Opcode.binary, Buffer.concat([Buffer.from([channel]), bytes]), null));
  };
  const closeWebsocket = () => {
    if (!socket.destroyed) socket.end(encodeFrame(Opcode.close, Buffer.from([0x03, 0xe8]), null));
  };
  const prefix = Buffer.from([port & 0xff, port >> 8]);
  send(0, prefix);
  send(1, prefix);
  // The client went away without a close frame: the server closes its side too.
  socket.on('end', () => socket.end());
  if (hangs()) {
    socket.on('error', () => {});
    return;
  }
  const app = net.connect(appPort, '127.0.0.1');
  app.on('data', (chunk: Buffer) => send(0, chunk));
  app.on('error', (error) => {
    send(1, Buffer.from(kubeletError(port, pod, error)));
    closeWebsocket();
  });
  app.on('end', closeWebsocket);
  const parser = new FrameParser();
  let message: Buffer[] = [];
  const receive = (chunk: Buffer) => {
    for (const frame of parser.push(chunk)) {
      if (frame.opcode === Opcode.close) {
        closeWebsocket();
        continue;
      }
      if (frame.opcode !== Opcode.binary && frame.opcode !== Opcode.continuation) continue;
      message.push(frame.payload);
      if (!frame.fin) continue;
      const whole = Buffer.concat(message);
      message = [];
      if (whole[0] === 0) app.write(whole.subarray(1));
    }
  };
  socket.on('data', receive);
  socket.on('error', () => {});
  socket.on('close', () => app.destroy());
  if (head.length > 0) receive(head);
}

// The kubelet's SPDY port-forward server, as far as a client can tell, over a websocket.
function serveTunnel(socket: Duplex, head: Buffer, pod: string, appPort: number, seen: Array<Record<string, string>>, hangs: () => boolean): void {
  const websocketFrames = new FrameParser();
  const spdyFrames = new FrameReader();
  const inflate = zlib.createInflate({ dictionary: headerDictionary });
  const pairs = new Map<string, { error?: number; data?: number; port?: number }>();
  const apps = new Map<number, net.Socket>();
  // Header blocks share one zlib stream: frames are handled one after the other.
  let handling = Promise.resolve();
  const send = (bytes: Buffer) => {
    if (!socket.destroyed) socket.write(encodeFrame(Opcode.binary, bytes, null));
  };
  const uint32 = (value: number) => {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(value);
    return buffer;
  };
  const inflateBlock = (block: Buffer) =>
    new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      const collect = (chunk: Buffer) => chunks.push(chunk);
      inflate.on('data', collect);
      inflate.write(block);
      inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        inflate.off('data', collect);
        resolve(Buffer.concat(chunks));
      });
    });
  const parseHeaders = (block: Buffer) => {
    const headers: Record<string, string> = {};
    let offset = 4;
    for (let i = 0; i < block.readUInt32BE(0); i++) {
      const nameLength = block.readUInt32BE(offset);
      const name = block.subarray(offset + 4, offset + 4 + nameLength).toString();
      offset += 4 + nameLength;
      const valueLength = block.readUInt32BE(offset);
      headers[name] = block.subarray(offset + 4, offset + 4 + valueLength).toString();
      offset += 4 + valueLength;
    }
    return headers;
  };
  const startPair = (pair: { error: number; data: number; port: number }) => {
    if (hangs()) return;
    const app = net.connect(appPort, '127.0.0.1');
    apps.set(pair.data, app);
    app.on('data', (chunk: Buffer) => {
      for (const frame of dataFrames(pair.data, chunk)) send(frame);
    });
    // As the kubelet's streaming server (spdystream) does it: the data stream ends, the error text
    // follows, and the error stream — which the client closed its side of — is reset, not ended.
    app.on('error', (error) => {
      send(Buffer.concat(dataFrames(pair.data, Buffer.alloc(0), true)));
      send(Buffer.concat(dataFrames(pair.error, Buffer.from(kubeletError(pair.port, pod, error)))));
      send(rstStreamFrame(pair.error, ResetStatus.cancel));
    });
    app.on('end', () => {
      send(Buffer.concat(dataFrames(pair.error, Buffer.alloc(0), true)));
      send(Buffer.concat(dataFrames(pair.data, Buffer.alloc(0), true)));
    });
  };
  const handle = async (frame: ReturnType<FrameReader['push']>[number]) => {
    if (frame.kind === 'data') {
      const app = apps.get(frame.streamId);
      if (!app) return;
      if (frame.data.length > 0) app.write(frame.data);
      if (frame.fin) app.end();
      return;
    }
    if (frame.type === FrameType.synStream) {
      const id = controlStreamId(frame);
      const headers = parseHeaders(await inflateBlock(frame.body.subarray(10)));
      seen.push(headers);
      send(controlFrame(FrameType.synReply, 0, Buffer.concat([uint32(id), Buffer.alloc(0)])));
      const pair = pairs.get(headers.requestid!) ?? {};
      if (headers.streamtype === 'error') pair.error = id;
      else pair.data = id;
      pair.port = Number(headers.port);
      pairs.set(headers.requestid!, pair);
      if (pair.error !== undefined && pair.data !== undefined) startPair(pair as { error: number; data: number; port: number });
    } else if (frame.type === FrameType.rstStream) {
      apps.get(controlStreamId(frame))?.destroy();
    }
  };
  const receive = (chunk: Buffer) => {
    for (const websocketFrame of websocketFrames.push(chunk)) {
      if (websocketFrame.opcode === Opcode.close) {
        socket.end(encodeFrame(Opcode.close, websocketFrame.payload.subarray(0, 2), null));
        continue;
      }
      if (websocketFrame.opcode !== Opcode.binary && websocketFrame.opcode !== Opcode.continuation) continue;
      for (const frame of spdyFrames.push(websocketFrame.payload)) handling = handling.then(() => handle(frame));
    }
  };
  socket.on('data', receive);
  socket.on('error', () => {});
  socket.on('close', () => {
    for (const app of apps.values()) app.destroy();
    inflate.close();
  });
  if (head.length > 0) receive(head);
}

// A local TCP app that greets with its name, then echoes; when the client is done sending, it
// answers `bye` and closes — which a client only sees if its half-close reached the app.
export function startEchoApp(name: string): Promise<LocalServer> {
  return listenLocal(
    (socket) => {
      socket.write(`hello from ${name}\n`);
      socket.pipe(socket, { end: false });
      socket.on('end', () => socket.end(`bye from ${name}\n`));
    },
    { allowHalfOpen: true },
  );
}

// A port on 127.0.0.1 where nothing listens (bound, then released): a pod whose app is not there.
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
