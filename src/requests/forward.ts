// Pure: `kubectl svc-trace forward SERVICE [LOCAL:]PORT...`'s command line → one request, with
// everything the command line alone can get wrong refused (exit 2) before the cluster is contacted.

import { usageError } from '../errors.js';
import { parseAddresses, parsePortSpec, type ListenAddress, type PortSpec } from '../forward/port-spec.js';
import { parseDuration } from '../kube/duration.js';
import { checkRequestTimeout, connectionRequest, type ConnectionFlags, type ConnectionRequest } from './connection.js';
import { parseServiceArgument } from './target.js';

export interface ForwardFlags extends ConnectionFlags {
  address?: string;
  'wait-timeout': string;
  output?: string;
}

// A dashboard on a terminal; otherwise one line (text) or one JSON object per event.
export type ForwardDisplay = 'dashboard' | 'text' | 'json';

export interface ForwardRequest extends ConnectionRequest {
  service: string;
  ports: PortSpec[]; // `[LOCAL:]PORT` as typed, parsed
  addresses: ListenAddress[]; // to listen on
  display: ForwardDisplay;
  waitMs: number; // how long a new connection waits for a ready endpoint (0: not at all)
}

// `argv`: SERVICE and the ports, as typed.
export function forwardRequest(argv: string[], flags: ForwardFlags, surroundings: { stdoutIsTerminal: boolean }): ForwardRequest {
  const service = parseServiceArgument(argv[0]!);
  const ports = argv.slice(1);
  const display = displayOf(flags.output, surroundings.stdoutIsTerminal);
  if (ports.length === 0) {
    throw usageError('name at least one port to forward', `e.g. kubectl svc-trace forward ${service} 8080 (or :80 for a free local port)`);
  }
  const request: ForwardRequest = {
    ...connectionRequest(flags),
    service,
    ports: ports.map(parsePortSpec),
    addresses: parseAddresses(flags.address),
    display,
    waitMs: parseDuration(flags['wait-timeout'], '--wait-timeout'),
  };
  checkRequestTimeout(request);
  return request;
}

function displayOf(output: string | undefined, stdoutIsTerminal: boolean): ForwardDisplay {
  if (output === undefined) return stdoutIsTerminal ? 'dashboard' : 'text';
  if (output === 'text' || output === 'json') return output;
  throw usageError(`unknown output format "${output}" for forward`, 'use text (one line per event) or json (one object per event); a terminal gets the dashboard by default');
}
