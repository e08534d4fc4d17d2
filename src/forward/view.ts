// What the dashboard draws: the state of every forwarded port at one moment.

import type { Backend, BackendState } from './backends.js';

export interface BackendView extends Pick<Backend, 'pod' | 'node' | 'address' | 'targetPort'> {
  state: BackendState;
  // Connections open on this pod now, and the bytes of all its connections so far.
  open: number;
  sent: number;
  received: number;
}

export interface PortView {
  // The Service port as the events name it (its name, else its number), and in full: `http 80/TCP`.
  port: string;
  servicePort: string;
  listening: string[];
  backends: BackendView[];
  ready: number;
  open: number;
  waiting: number;
  sent: number;
  received: number;
  // How long a new connection waits for a ready endpoint.
  waitMs: number;
  lastError?: string;
}

export interface ForwardView {
  namespace: string;
  service: string;
  ports: PortView[];
  // The latest events, oldest first, as log lines with their local time.
  recent: string[];
  // Trouble with following the endpoints (the watch), when there is some.
  notice?: string;
}
