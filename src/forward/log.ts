// Pure: a forward event → one log line (text output) or one JSON object (-o json).

import type { ForwardEvent } from './events.js';

export function formatEvent(event: ForwardEvent): string {
  const port = event.port === undefined ? '' : `port ${event.port}: `;
  switch (event.type) {
    case 'listening':
      return `Forwarding from ${event.address} -> ${event.service}:${event.port} (target port ${event.targetPort})`;
    case 'listen-failed':
      return `warning: ${port}cannot listen on ${event.address}: ${event.message}`;
    case 'endpoint': {
      const where = event.node ? ` on ${event.node}` : '';
      const target = event.targetPort === undefined ? 'no target port' : `target port ${event.targetPort}`;
      const ready = `${event.ready} ready`;
      if (event.change === 'added') return `${port}endpoint ${event.pod}${where} added: ${describeState(event.state)}, ${target} (${ready})`;
      if (event.change === 'removed') return `${port}endpoint ${event.pod}${where} removed (${ready})`;
      return `${port}endpoint ${event.pod}${where} is now ${describeState(event.state)}, ${target} (${ready})`;
    }
    case 'waiting':
      return `${port}waiting: ${event.message}`;
    case 'resumed':
      return `${port}resumed: ${event.ready} ready endpoint${event.ready === 1 ? '' : 's'}`;
    case 'connection-waiting':
      return `${port}connection ${event.connection} from ${event.client} waits for a ready endpoint (up to ${formatTimeout(event.timeoutMs)})`;
    case 'connection-opened':
      return `${port}connection ${event.connection} from ${event.client} -> pod ${event.pod}:${event.targetPort}`;
    case 'connection-closed': {
      const by = { pod: 'by the pod', client: 'by the client', forward: 'by svc-trace' }[event.by];
      const facts = [
        ...(event.pod ? [event.pod] : []),
        `sent ${formatBytes(event.sent)}`,
        `received ${formatBytes(event.received)}`,
        formatDuration(event.durationMs),
      ].join(', ');
      return `${port}connection ${event.connection} closed ${by} (${facts})${event.reason ? `: ${event.reason}` : ''}`;
    }
    case 'connection-retry':
      return `${port}connection ${event.connection}: pod ${event.pod} failed (${event.message}); trying another endpoint`;
    case 'watch':
      return event.state === 'lost' ? `warning: ${event.message}` : event.message;
    case 'error': {
      const about = event.connection === undefined ? '' : `connection ${event.connection}${event.pod ? ` to pod ${event.pod}` : ''}: `;
      return `${port}error: ${about}${event.message}`;
    }
  }
}

export function eventJson(event: ForwardEvent): string {
  return JSON.stringify(event);
}

export function describeState(state: string): string {
  return state === 'no-port' ? 'ready but without the target port' : state.replace('-', ' ');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

// A wait limit as typed: 30s, 2m, 1500ms.
export function formatTimeout(milliseconds: number): string {
  if (milliseconds >= 60_000 && milliseconds % 60_000 === 0) return `${milliseconds / 60_000}m`;
  if (milliseconds >= 1000 && milliseconds % 1000 === 0) return `${milliseconds / 1000}s`;
  return `${milliseconds}ms`;
}

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.floor(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
