// What forward reports as it runs: one event per thing a user may want to know. Written as a log
// line (text), as one JSON object per line (-o json), or folded into the dashboard.

import type { BackendState } from './backends.js';

interface Base {
  // ISO 8601, when it happened.
  time: string;
  // The Service port: its name, else its number (absent for events about the whole Service).
  port?: string;
}

export type ForwardEvent =
  | (Base & { type: 'listening'; address: string; service: string; targetPort: string })
  | (Base & { type: 'listen-failed'; address: string; message: string })
  | (Base & {
      type: 'endpoint';
      change: 'added' | 'removed' | 'changed';
      pod: string;
      node?: string;
      state: BackendState;
      targetPort?: number;
      // Usable endpoints of the port after the change.
      ready: number;
    })
  | (Base & { type: 'waiting'; message: string })
  | (Base & { type: 'resumed'; ready: number })
  | (Base & { type: 'connection-waiting'; connection: number; client: string; timeoutMs: number })
  | (Base & { type: 'connection-opened'; connection: number; client: string; pod: string; targetPort: number })
  | (Base & {
      type: 'connection-closed';
      connection: number;
      pod?: string;
      // Bytes from the local client to the pod, and back.
      sent: number;
      received: number;
      durationMs: number;
      by: 'pod' | 'client' | 'forward';
      reason?: string;
    })
  | (Base & { type: 'connection-retry'; connection: number; pod: string; message: string })
  | (Base & { type: 'error'; message: string; connection?: number; pod?: string })
  // The watch of the endpoints broke (it is retried), or works again.
  | (Base & { type: 'watch'; state: 'lost' | 'regained'; message: string });

export type ForwardEventType = ForwardEvent['type'];

// Events without the fields every event carries, as the forwarder builds them.
export type ForwardEventInput = ForwardEvent extends infer E ? (E extends ForwardEvent ? Omit<E, 'time' | 'port'> : never) : never;
