// Pure: which backend each new connection of one Service port goes to, and what a change of the
// backend set means for the connections already there. No sockets and no clock: the forwarder
// passes the time in and carries the decisions out.
//
// - New connections go round robin over the usable backends (ready, not terminating, with a target port).
// - A backend that leaves, turns not ready or terminating, or changes its target port: its
//   connections are closed, and new ones go to the others.
// - No usable backend: new connections wait (up to waitMs), first come first served when one is back.

import { diffBackends, isUsable, stateOf, type Backend, type BackendChange } from './backends.js';

export type Arrival =
  | { kind: 'dial'; backend: Backend }
  | { kind: 'wait'; deadline: number }
  // Every usable backend was tried for this connection and failed.
  | { kind: 'give-up' };

export interface Update {
  changes: BackendChange[];
  // Open connections whose pod can no longer take them.
  close: Array<{ connection: number; pod: string; reason: string }>;
  // Waiting connections that now have a backend.
  dial: Array<{ connection: number; backend: Backend }>;
  usableBefore: number;
  usableAfter: number;
}

export class Balancer {
  private current: Backend[] = [];
  private lastPod: string | undefined;
  // Connection → the pod it is dialing or streaming to.
  private readonly open = new Map<number, string>();
  // Waiting connections in arrival order, with their deadlines.
  private readonly waiting = new Map<number, number>();
  // Pods a connection failed to reach, so that a retry goes elsewhere.
  private readonly tried = new Map<number, Set<string>>();

  constructor(private readonly waitMs: number) {}

  get backends(): Backend[] {
    return this.current;
  }

  get usable(): Backend[] {
    return this.current.filter(isUsable);
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  // Connections open (or being opened) on a pod.
  openOn(pod: string): number {
    let count = 0;
    for (const target of this.open.values()) if (target === pod) count += 1;
    return count;
  }

  arrive(connection: number, now: number): Arrival {
    const backend = this.pick(connection);
    if (backend) return this.assign(connection, backend);
    const deadline = now + this.waitMs;
    this.waiting.set(connection, deadline);
    return { kind: 'wait', deadline };
  }

  // The connection could not be opened on `pod` (the pod went away, the API server refused): try another.
  failed(connection: number, pod: string, now: number): Arrival {
    this.open.delete(connection);
    const tried = this.tried.get(connection) ?? new Set<string>();
    tried.add(pod);
    this.tried.set(connection, tried);
    const backend = this.pick(connection);
    if (backend) return this.assign(connection, backend);
    if (this.usable.length > 0) return { kind: 'give-up' };
    const deadline = now + this.waitMs;
    this.waiting.set(connection, deadline);
    return { kind: 'wait', deadline };
  }

  // The connection is over (closed by either side, or given up).
  release(connection: number): void {
    this.open.delete(connection);
    this.waiting.delete(connection);
    this.tried.delete(connection);
  }

  update(next: Backend[]): Update {
    const previous = this.current;
    const changes = diffBackends(previous, next);
    this.current = next;
    const usableNow = new Map(this.usable.map((b) => [b.pod, b]));
    const reasons = new Map(changes.map((c) => [c.backend.pod, closeReason(c)]));
    const close: Update['close'] = [];
    for (const [connection, pod] of this.open) {
      const reason = reasons.get(pod);
      if (!usableNow.has(pod) || (reason !== undefined && reasonClosesConnections(changes, pod))) {
        close.push({ connection, pod, reason: reason ?? `pod ${pod} can no longer take connections` });
      }
    }
    for (const { connection } of close) this.open.delete(connection);
    const dial: Update['dial'] = [];
    for (const connection of [...this.waiting.keys()]) {
      const backend = this.pick(connection);
      if (!backend) break;
      this.waiting.delete(connection);
      this.assign(connection, backend);
      dial.push({ connection, backend });
    }
    return { changes, close, dial, usableBefore: previous.filter(isUsable).length, usableAfter: usableNow.size };
  }

  // Waiting connections whose time is up, in arrival order; they are forgotten.
  expire(now: number): number[] {
    const expired = [...this.waiting].filter(([, deadline]) => deadline <= now).map(([connection]) => connection);
    for (const connection of expired) this.release(connection);
    return expired;
  }

  nextDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const deadline of this.waiting.values()) if (earliest === undefined || deadline < earliest) earliest = deadline;
    return earliest;
  }

  private assign(connection: number, backend: Backend): Arrival {
    this.open.set(connection, backend.pod);
    this.lastPod = backend.pod;
    return { kind: 'dial', backend };
  }

  // Round robin in pod-name order, continuing after the last pod picked, so that a pod joining or
  // leaving does not restart the rotation. Pods this connection already failed on are skipped.
  private pick(connection: number): Backend | undefined {
    const tried = this.tried.get(connection);
    const candidates = this.usable.filter((b) => !tried?.has(b.pod));
    if (candidates.length === 0) return undefined;
    const last = this.lastPod;
    return (last === undefined ? undefined : candidates.find((b) => b.pod > last)) ?? candidates[0];
  }
}

// A change that leaves the pod usable closes its connections only when the target port moved.
function reasonClosesConnections(changes: BackendChange[], pod: string): boolean {
  const change = changes.find((c) => c.backend.pod === pod);
  return change?.kind === 'changed' && change.targetPortFrom !== undefined;
}

function closeReason(change: BackendChange): string {
  const pod = change.backend.pod;
  if (change.kind === 'removed') return `pod ${pod} left the Service's endpoints`;
  if (change.kind === 'added') return `pod ${pod} joined`;
  if (change.targetPortFrom !== undefined && change.backend.targetPort !== undefined) {
    return `the target port of pod ${pod} changed from ${change.targetPortFrom} to ${change.backend.targetPort}`;
  }
  switch (stateOf(change.backend)) {
    case 'terminating':
      return `pod ${pod} is terminating`;
    case 'not-ready':
      return `pod ${pod} is not ready`;
    case 'no-port':
      return `pod ${pod} no longer has the target port`;
    default:
      return `pod ${pod} changed`;
  }
}
