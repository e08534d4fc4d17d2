// Pure: what trace and explain share — where the objects come from (the cluster, or manifests with
// -f), the client the packet starts from, and --probe — checked before any request.

import { parseClientReference } from '../kube/client-reference.js';
import type { ProbeOptions } from '../probe/model.js';
import { parseProbeOptions } from '../probe/options.js';
import { checkRequestTimeout, connectionRequest, type ConnectionFlags, type ConnectionRequest } from './connection.js';

export interface SourceFlags extends ConnectionFlags {
  filename?: string[];
  from?: string;
  'from-namespace'?: string;
  probe?: boolean;
  'probe-limit'?: string;
  'probe-timeout'?: string;
}

export interface SourceRequest extends ConnectionRequest {
  filenames: string[]; // -f; empty = the live cluster
  from?: string; // --from, its syntax checked
  fromNamespace?: string; // --from-namespace
}

export function sourceRequest(flags: SourceFlags): SourceRequest {
  return { ...connectionRequest(flags), filenames: flags.filename ?? [], from: flags.from, fromNamespace: flags['from-namespace'] };
}

// --probe, --probe-limit and --probe-timeout (trace, explain, assert).
export function probeOf(flags: { probe?: boolean; 'probe-limit'?: string; 'probe-timeout'?: string }): ProbeOptions | undefined {
  return parseProbeOptions({ probe: flags.probe, probeLimit: flags['probe-limit'], probeTimeout: flags['probe-timeout'] });
}

// A malformed --from (or --from-namespace) is a usage error, before any request.
export function checkClient(source: SourceRequest): void {
  parseClientReference(source.from, source.fromNamespace);
}

// The last check of a trace or an explanation: --request-timeout, when the cluster is contacted.
export function checkLive(source: SourceRequest): void {
  if (source.filenames.length === 0) checkRequestTimeout(source);
}
