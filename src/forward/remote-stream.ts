// The pod's side of one forwarded connection, whichever protocol carries it.

import { EventEmitter } from 'node:events';

// Events: 'data' (Buffer) from the pod's app; 'end' when the app finished sending; 'drain' after
// write returned false; 'failure' (message) when the kubelet reports an error (e.g. nothing listens
// on the port); 'close' once the stream is over. Nothing is emitted before start().
export interface RemoteStream extends EventEmitter {
  // The protocol that carries it: `SPDY/3.1+portforward.k8s.io` or `v4.channel.k8s.io`.
  readonly protocol: string;
  // The consumer listens now.
  start(): void;
  // To the pod's app; false when the tunnel's buffer is full (wait for 'drain').
  write(data: Buffer): boolean;
  // The local client finished sending: the app reads EOF (where the protocol can say so).
  end(): void;
  // Hold and release the data coming from the pod (the local client reads slowly).
  pause(): void;
  resume(): void;
  // Tears the stream down now.
  destroy(): void;
}

export interface PodTarget {
  namespace: string;
  pod: string;
  port: number;
}

export type OpenRemoteStream = (target: PodTarget) => Promise<RemoteStream>;

// Keeps the events of a stream until its consumer starts listening: the server may send data, an
// error or the end in the same read as the answer that opened the stream, before the promise of
// the open stream has even reached the consumer.
export abstract class HeldEvents extends EventEmitter {
  private started = false;
  private readonly early: Array<{ event: string; args: unknown[] }> = [];

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const { event, args } of this.early.splice(0)) this.emit(event, ...args);
  }

  protected deliver(event: string, ...args: unknown[]): void {
    if (this.started) this.emit(event, ...args);
    else this.early.push({ event, args });
  }
}
