// Pure: `kubectl svc-trace [SERVICE|ingress/NAME|httproute/NAME|grpcroute/NAME]`'s flags → one of
// three requests (one Service, one entry, the list of Services), every bad combination refused as
// a usage error (exit 2) before anything is loaded or contacted.

import { usageError } from '../errors.js';
import type { ProbeOptions } from '../probe/model.js';
import { checkClient, checkLive, probeOf, sourceRequest, type SourceFlags, type SourceRequest } from './source.js';
import { parseTraceTarget, type EntryTarget } from './target.js';

export const traceFormats = ['text', 'tree', 'wide', 'json', 'yaml', 'markdown', 'mermaid', 'sarif'] as const;
export type TraceFormat = (typeof traceFormats)[number];

// The formats an entry trace is drawn in (a Service trace knows more).
export const entryFormats = ['text', 'tree', 'wide', 'json', 'yaml'] as const;
export type EntryFormat = (typeof entryFormats)[number];

// --fail-on (list mode): the verdict from which the command exits 1.
export const failOnLevels = ['none', 'error', 'warning'] as const;
export type FailOn = (typeof failOnLevels)[number];

export interface TraceFlags extends SourceFlags {
  'all-namespaces'?: boolean;
  output?: string;
  'fail-on'?: FailOn;
  port?: string;
  watch?: boolean;
}

export interface ServiceTraceRequest extends SourceRequest {
  mode: 'service';
  service: string;
  port?: string; // --port: follow one Service port
  output: TraceFormat;
  probe?: ProbeOptions; // live, once
  watch: boolean;
  version?: string; // svc-trace's, for -o sarif
}

export interface EntryTraceRequest extends SourceRequest {
  mode: 'entry';
  entry: EntryTarget;
  output: EntryFormat;
}

export interface ListTraceRequest extends SourceRequest {
  mode: 'list';
  allNamespaces: boolean;
  output: TraceFormat;
  failOn: FailOn;
  version?: string;
}

export type TraceRequest = ServiceTraceRequest | EntryTraceRequest | ListTraceRequest;

// How the command runs: its version (for -o sarif) and whether stdout is a terminal (default -o tree).
export interface TraceSurroundings {
  version?: string;
  stdoutIsTerminal: boolean;
}

// -o as given, else tree on a terminal and text otherwise.
export function traceFormat(flag: string | undefined, stdoutIsTerminal: boolean): TraceFormat {
  if (flag === undefined) return stdoutIsTerminal ? 'tree' : 'text';
  if ((traceFormats as readonly string[]).includes(flag)) return flag as TraceFormat;
  throw usageError(`unknown output format "${flag}"`, `use one of: ${traceFormats.join(', ')}`);
}

export function traceRequest(argument: string | undefined, flags: TraceFlags, surroundings: TraceSurroundings): TraceRequest {
  const target = argument === undefined ? undefined : parseTraceTarget(argument);
  const probe = probeOf(flags);
  const source = sourceRequest(flags);
  if (target !== undefined && 'entry' in target) return entryTraceRequest(target.entry, flags, source, probe, surroundings);
  const output = traceFormat(flags.output, surroundings.stdoutIsTerminal);
  const watch = flags.watch ?? false;
  if (watch && target === undefined) throw usageError('--watch follows one Service', 'name it: kubectl svc-trace SERVICE -w');
  if (watch && source.filenames.length > 0) {
    throw usageError('--watch follows a cluster; it cannot be used with -f', 'drop --watch, or drop -f to trace the live Service');
  }
  if (probe) {
    if (target === undefined) throw usageError('--probe probes the endpoints of one Service', 'name it: kubectl svc-trace SERVICE --probe');
    refuseProbeOffline(source);
    if (watch) throw usageError('--probe runs once; it cannot be used with --watch', 'drop --watch, or run kubectl svc-trace SERVICE --probe again');
  }
  checkClient(source);
  if (flags['fail-on'] !== undefined && target !== undefined) {
    throw usageError('--fail-on is for list mode', `a trace of one Service exits 1 when it is broken; drop --fail-on, or drop ${target.service} to check every Service`);
  }
  if (target === undefined && output === 'mermaid') {
    throw usageError('-o mermaid draws the hop chain of one Service', 'name the Service (kubectl svc-trace SERVICE -o mermaid), or use -o markdown or -o sarif for every Service');
  }
  checkLive(source);
  if (target === undefined) {
    return { mode: 'list', ...source, allNamespaces: flags['all-namespaces'] ?? false, output, failOn: flags['fail-on'] ?? 'none', version: surroundings.version };
  }
  return { mode: 'service', ...source, service: target.service, port: flags.port, output, ...(probe ? { probe } : {}), watch, version: surroundings.version };
}

function entryTraceRequest(entry: EntryTarget, flags: TraceFlags, source: SourceRequest, probe: ProbeOptions | undefined, surroundings: TraceSurroundings): EntryTraceRequest {
  if (flags['fail-on'] !== undefined) throw usageError('--fail-on is for list mode', 'drop --fail-on; a trace of an entry exits 1 when it is broken');
  const word = `${entry.kind.toLowerCase()}/${entry.name}`;
  if (flags.watch) throw usageError(`--watch follows one Service, not an ${entry.kind}`, `trace ${word} without -w, or watch one of its Services`);
  refuseEntryPortAndProbe(entry, flags.port, probe);
  if (flags['all-namespaces']) throw usageError(`-A lists Services; ${word} is one object of one namespace`, `name its namespace with -n, or drop ${word} for the list`);
  const output = traceFormat(flags.output, surroundings.stdoutIsTerminal);
  if (!(entryFormats as readonly string[]).includes(output)) throw usageError(`-o ${output} is not available for ${word}`, `use one of: ${entryFormats.join(', ')}`);
  checkClient(source);
  checkLive(source);
  return { mode: 'entry', ...source, entry, output: output as EntryFormat };
}

// An entry names its own ports, and --probe is of one Service (trace and explain).
export function refuseEntryPortAndProbe(entry: EntryTarget, port: string | undefined, probe: ProbeOptions | undefined): void {
  const word = `${entry.kind.toLowerCase()}/${entry.name}`;
  if (port !== undefined) throw usageError(`--port picks a Service port; ${word} names its own`, 'drop --port: each backend is traced on the port the entry names');
  if (probe) throw usageError(`--probe probes the endpoints of one Service, not an ${entry.kind}`, 'trace one of its backend Services with --probe');
}

export function refuseProbeOffline(source: SourceRequest): void {
  if (source.filenames.length > 0) throw usageError('--probe connects to live pods; it cannot be used with -f', 'drop --probe, or drop -f to trace the live Service');
}
