// Pure: `kubectl svc-explain SERVICE` (`kubectl svc-trace explain`)'s flags → one request, checked
// as trace checks its own (usage errors, exit 2) before anything is loaded or contacted.

import { usageError } from '../errors.js';
import type { ProbeOptions } from '../probe/model.js';
import { checkClient, checkLive, probeOf, sourceRequest, type SourceFlags, type SourceRequest } from './source.js';
import { parseTraceTarget, type TraceTarget } from './target.js';
import { refuseEntryPortAndProbe, refuseProbeOffline } from './trace.js';

export interface ExplainFlags extends SourceFlags {
  output?: string;
  port?: string;
}

export interface ExplainRequest extends SourceRequest {
  target: TraceTarget;
  port?: string; // a Service's (an entry names its own)
  output: 'text' | 'json';
  probe?: ProbeOptions; // a Service's, live
}

export function explainRequest(argument: string, flags: ExplainFlags): ExplainRequest {
  const target = parseTraceTarget(argument);
  const probe = probeOf(flags);
  const source = sourceRequest(flags);
  if ('entry' in target) refuseEntryPortAndProbe(target.entry, flags.port, probe);
  const output = flags.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw usageError(`unknown output format "${output}" for explain`, 'use text or json');
  if (probe) refuseProbeOffline(source);
  checkClient(source);
  checkLive(source);
  return { ...source, target, port: flags.port, output, ...(probe ? { probe } : {}) };
}
