// One forwarded Service port: its local listeners, and every local connection from accept to close.
// The balancer decides where a connection goes; this module does the I/O — opens the pod stream,
// bridges the bytes, closes what the balancer says to close, and reports each step as an event.

import type net from 'node:net';
import type { Server, Socket } from 'node:net';
import type { EndpointSlice, ServicePort } from '../kube/types.js';
import { backendsFor, stateOf, type Backend, type BackendChange } from './backends.js';
import { Balancer, type Arrival } from './balancer.js';
import { bridge, type Bridge } from './bridge.js';
import type { ForwardEventInput } from './events.js';
import { bind, describeListenError, listenError } from './listen.js';
import { formatTimeout } from './log.js';
import type { OpenRemoteStream } from './remote-stream.js';
import { formatHostPort, type ForwardedPort, type ListenAddress } from './port-spec.js';
import type { PortView } from './view.js';

export interface ForwarderOptions {
  namespace: string;
  service: string;
  forwarded: ForwardedPort;
  addresses: ListenAddress[];
  // How long a new connection waits for a ready endpoint before it is closed.
  waitMs: number;
  openStream: OpenRemoteStream;
  emit: (event: ForwardEventInput, port: string) => void;
  // Connection numbers are shared by all ports, so that each is unique in the log.
  nextConnection: () => number;
}

interface Connection {
  id: number;
  socket: Socket;
  client: string;
  openedAt: number;
  pod?: string;
  // Bumped when the connection is sent elsewhere, so that a stream opened for an old choice is dropped.
  attempt: number;
  bridge?: Bridge;
  lastError?: string;
}

export function servicePortLabel(port: ServicePort): string {
  return port.name || String(port.port);
}

export class PortForwarder {
  readonly label: string;
  private readonly balancer: Balancer;
  private readonly servers: Server[] = [];
  private readonly listening: string[] = [];
  private readonly connections = new Map<number, Connection>();
  // Bytes of finished connections, per pod.
  private readonly finished = new Map<string, { sent: number; received: number }>();
  private waitTimer: NodeJS.Timeout | undefined;
  private lastError: string | undefined;
  private stopped = false;
  // The first update reports the starting state: waiting when nothing is ready, never "resumed".
  private updated = false;

  constructor(private readonly options: ForwarderOptions) {
    this.label = servicePortLabel(options.forwarded.servicePort);
    this.balancer = new Balancer(options.waitMs);
  }

  // Binds every address. `localhost` is 127.0.0.1 and ::1: one of them failing (no IPv6) is a
  // warning, as kubectl has it; any other failure stops the command before it starts.
  async listen(): Promise<void> {
    let port = this.options.forwarded.local;
    const failures: string[] = [];
    for (const { address, loopbackAlias } of this.options.addresses) {
      const where = formatHostPort(address, port);
      try {
        const server = await bind(address, port, (socket) => this.accept(socket));
        this.servers.push(server);
        // `:PORT` picks a free port on the first address; the others listen on the same one.
        port = (server.address() as net.AddressInfo).port;
        this.listening.push(formatHostPort(address, port));
      } catch (error) {
        const message = describeListenError(error);
        if (!loopbackAlias) throw listenError(where, message);
        failures.push(`${where}: ${message}`);
        this.emit({ type: 'listen-failed', address: where, message });
      }
    }
    if (this.servers.length === 0) {
      throw listenError(failures.join('; '), 'no address could be bound');
    }
    const servicePort = this.options.forwarded.servicePort;
    for (const address of this.listening) {
      this.emit({
        type: 'listening',
        address,
        service: `svc/${this.options.service}`,
        targetPort: String(servicePort.targetPort ?? servicePort.port),
      });
    }
  }

  get addresses(): string[] {
    return [...this.listening];
  }

  // The Service's EndpointSlices changed: recompute this port's backends and act on the difference.
  update(slices: EndpointSlice[]): void {
    if (this.stopped) return;
    const result = this.balancer.update(backendsFor(this.options.forwarded.servicePort, slices));
    for (const change of result.changes) this.emitChange(change, result.usableAfter);
    for (const { connection, reason } of result.close) {
      const open = this.connections.get(connection);
      if (!open) continue;
      if (open.bridge) open.bridge.close(reason);
      // Not streaming yet: nothing was sent, so the connection can still go elsewhere.
      else this.route(open, this.balancer.arrive(open.id, Date.now()));
    }
    for (const { connection, backend } of result.dial) {
      const waiting = this.connections.get(connection);
      if (waiting) this.dial(waiting, backend);
    }
    const first = !this.updated;
    this.updated = true;
    if (result.usableAfter === 0 && (first || result.usableBefore > 0)) this.announceWaiting();
    if (!first && result.usableBefore === 0 && result.usableAfter > 0) this.emit({ type: 'resumed', ready: result.usableAfter });
    this.scheduleExpiry();
  }

  view(): PortView {
    const servicePort = this.options.forwarded.servicePort;
    const live = new Map<string, { sent: number; received: number }>();
    let sent = 0;
    let received = 0;
    for (const totals of this.finished.values()) {
      sent += totals.sent;
      received += totals.received;
    }
    for (const connection of this.connections.values()) {
      if (!connection.bridge || !connection.pod) continue;
      const totals = live.get(connection.pod) ?? { sent: 0, received: 0 };
      totals.sent += connection.bridge.counters.sent;
      totals.received += connection.bridge.counters.received;
      live.set(connection.pod, totals);
      sent += connection.bridge.counters.sent;
      received += connection.bridge.counters.received;
    }
    const view: PortView = {
      port: this.label,
      servicePort: `${servicePort.name ? `${servicePort.name} ` : ''}${servicePort.port}/${servicePort.protocol ?? 'TCP'}`,
      listening: this.addresses,
      backends: this.balancer.backends.map((backend) => {
        const done = this.finished.get(backend.pod);
        const now = live.get(backend.pod);
        return {
          pod: backend.pod,
          ...(backend.node ? { node: backend.node } : {}),
          address: backend.address,
          ...(backend.targetPort !== undefined ? { targetPort: backend.targetPort } : {}),
          state: stateOf(backend),
          open: this.openOn(backend.pod),
          sent: (done?.sent ?? 0) + (now?.sent ?? 0),
          received: (done?.received ?? 0) + (now?.received ?? 0),
        };
      }),
      ready: this.balancer.usable.length,
      open: [...this.connections.values()].filter((c) => c.bridge).length,
      waiting: this.balancer.waitingCount,
      sent,
      received,
      waitMs: this.options.waitMs,
    };
    if (this.lastError) view.lastError = this.lastError;
    return view;
  }

  // Stops listening and closes every connection.
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.waitTimer);
    const closing = this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const connection of this.connections.values()) {
      if (connection.bridge) connection.bridge.close('svc-trace is stopping');
      else connection.socket.destroy();
    }
    await Promise.all([...closing, ...[...this.connections.values()].map((c) => c.bridge?.done)]);
  }

  private openOn(pod: string): number {
    let count = 0;
    for (const connection of this.connections.values()) if (connection.bridge && connection.pod === pod) count += 1;
    return count;
  }

  private accept(socket: Socket): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    const connection: Connection = {
      id: this.options.nextConnection(),
      socket,
      client: formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0),
      openedAt: Date.now(),
      attempt: 0,
    };
    this.connections.set(connection.id, connection);
    // Until the stream is open the socket is paused; a client that gives up meanwhile is forgotten.
    socket.on('error', () => {});
    socket.once('close', () => {
      if (connection.bridge) return; // the bridge reports it
      this.forget(connection);
    });
    this.route(connection, this.balancer.arrive(connection.id, Date.now()));
  }

  private route(connection: Connection, arrival: Arrival): void {
    connection.attempt += 1;
    switch (arrival.kind) {
      case 'dial':
        this.dial(connection, arrival.backend);
        return;
      case 'wait':
        this.emit({
          type: 'connection-waiting',
          connection: connection.id,
          client: connection.client,
          timeoutMs: this.options.waitMs,
        });
        this.scheduleExpiry();
        return;
      case 'give-up':
        this.emit({
          type: 'error',
          connection: connection.id,
          message: `no endpoint took the connection${connection.lastError ? `; last: ${connection.lastError}` : ''}`,
        });
        this.balancer.release(connection.id);
        connection.socket.destroy();
        return;
    }
  }

  private dial(connection: Connection, backend: Backend): void {
    const attempt = connection.attempt;
    const pod = backend.pod;
    const port = backend.targetPort!;
    connection.pod = pod;
    this.options.openStream({ namespace: this.options.namespace, pod, port }).then(
      (stream) => {
        if (connection.attempt !== attempt || connection.socket.destroyed || this.stopped) {
          stream.destroy();
          if (connection.socket.destroyed && connection.attempt === attempt) this.forget(connection);
          return;
        }
        const bridged = bridge(connection.socket, stream);
        connection.bridge = bridged;
        this.emit({ type: 'connection-opened', connection: connection.id, client: connection.client, pod, targetPort: port });
        void bridged.done.then((end) => {
          if (end.error && end.by !== 'forward' && end.by !== 'client') this.lastError = `${pod}: ${end.error}`;
          this.emit({
            type: 'connection-closed',
            connection: connection.id,
            pod,
            sent: bridged.counters.sent,
            received: bridged.counters.received,
            durationMs: Date.now() - connection.openedAt,
            by: end.by,
            ...(end.error ? { reason: end.error } : {}),
          });
          const totals = this.finished.get(pod) ?? { sent: 0, received: 0 };
          totals.sent += bridged.counters.sent;
          totals.received += bridged.counters.received;
          this.finished.set(pod, totals);
          this.forget(connection);
        });
      },
      (error: unknown) => {
        if (connection.attempt !== attempt || this.stopped) return;
        const message = error instanceof Error ? error.message : String(error);
        connection.lastError = `${pod}: ${message}`;
        this.lastError = connection.lastError;
        if (connection.socket.destroyed) {
          this.forget(connection);
          return;
        }
        this.emit({ type: 'connection-retry', connection: connection.id, pod, message });
        this.route(connection, this.balancer.failed(connection.id, pod, Date.now()));
      },
    );
  }

  private forget(connection: Connection): void {
    this.balancer.release(connection.id);
    this.connections.delete(connection.id);
  }

  private announceWaiting(): void {
    const known = this.balancer.backends.length;
    const service = `service ${this.options.service}`;
    const why =
      known === 0
        ? `${service} has no endpoint for port ${this.label}`
        : `${known === 1 ? 'the only endpoint' : `none of the ${known} endpoints`} of ${service} is ready for port ${this.label}`;
    this.emit({ type: 'waiting', message: `${why}; new connections wait up to ${formatTimeout(this.options.waitMs)} for one` });
  }

  // One timer for the earliest deadline of the waiting connections.
  private scheduleExpiry(): void {
    clearTimeout(this.waitTimer);
    const deadline = this.balancer.nextDeadline();
    if (deadline === undefined || this.stopped) return;
    this.waitTimer = setTimeout(() => {
      for (const id of this.balancer.expire(Date.now())) {
        const connection = this.connections.get(id);
        if (!connection) continue;
        this.connections.delete(id);
        connection.socket.destroy();
        this.emit({
          type: 'connection-closed',
          connection: id,
          sent: 0,
          received: 0,
          durationMs: Date.now() - connection.openedAt,
          by: 'forward',
          reason: `no ready endpoint within ${formatTimeout(this.options.waitMs)}`,
        });
      }
      this.scheduleExpiry();
    }, Math.max(0, deadline - Date.now()));
  }

  private emitChange(change: BackendChange, ready: number): void {
    const backend = change.backend;
    this.emit({
      type: 'endpoint',
      change: change.kind,
      pod: backend.pod,
      ...(backend.node ? { node: backend.node } : {}),
      state: stateOf(backend),
      ...(backend.targetPort !== undefined ? { targetPort: backend.targetPort } : {}),
      ready,
    });
  }

  private emit(event: ForwardEventInput): void {
    this.options.emit(event, this.label);
  }
}
