// `kubectl svc-trace [SERVICE]` and `kubectl svc-explain SERVICE`: gather, analyze, render.

import type { ServiceHealthList } from '../analyze/model.js';
import { analyze } from '../analyze/trace.js';
import { ExitCode, usageError, type ExitCodeValue } from '../errors.js';
import { parseClientReference } from '../kube/client-reference.js';
import type { ProbeOptions } from '../probe/model.js';
import { renderJson } from '../render/data.js';
import { checkListFormat, failsOn, renderHealthList, renderTrace, reportRequests, traceFormat, type FailOn, type Terminal } from './output.js';
import type { EntryTraceOptions } from './entry.js';
import { snapshotOfService, snapshotsOfNamespace, type SourceOptions } from './source.js';

export interface TraceOptions extends SourceOptions {
  service?: string;
  entry?: EntryTraceOptions['entry']; // ingress/NAME, httproute/NAME, grpcroute/NAME instead of a Service
  port?: string;
  output?: string;
  explain?: boolean;
  watch?: boolean;
  // --probe: one connection to each ready endpoint (live, one Service).
  probe?: ProbeOptions;
  failOn?: FailOn; // list mode: exit 1 from this verdict on (default none)
  version?: string; // svc-trace's, for -o sarif
}

export async function runTrace(options: TraceOptions, terminal: Terminal): Promise<ExitCodeValue> {
  if (options.entry) {
    refuseFailOnForEntry(options);
    const { runEntryTrace } = await import('./entry.js');
    return runEntryTrace({ ...options, entry: options.entry }, terminal);
  }
  // Usage errors before any request is made.
  const format = options.explain ? undefined : traceFormat(options.output, terminal);
  if (options.explain && options.output !== undefined && options.output !== 'text' && options.output !== 'json') {
    throw usageError(`unknown output format "${options.output}" for explain`, 'use text or json');
  }
  if (options.watch && options.service === undefined) throw usageError('--watch follows one Service', 'name it: kubectl svc-trace SERVICE -w');
  if (options.watch && options.filenames.length > 0) {
    throw usageError('--watch follows a cluster; it cannot be used with -f', 'drop --watch, or drop -f to trace the live Service');
  }
  if (options.probe) refuseProbe(options);
  parseClientReference(options.from, options.fromNamespace); // a malformed --from is a usage error, before any request
  if (options.failOn !== undefined && options.service !== undefined) {
    throw usageError('--fail-on is for list mode', `a trace of one Service exits 1 when it is broken; drop --fail-on, or drop ${options.service} to check every Service`);
  }
  if (options.service === undefined && format) checkListFormat(format);
  if (options.service === undefined) {
    const gathered = await snapshotsOfNamespace(options);
    const list: ServiceHealthList = {
      apiVersion: 'svc-trace/v1',
      kind: 'ServiceHealthList',
      items: gathered.result.map((snapshot) => analyze(snapshot)),
    };
    if (options.debug) reportRequests(terminal, gathered.requests);
    if (list.items.length === 0 && !['json', 'yaml', 'sarif', 'markdown'].includes(format ?? 'text')) {
      terminal.stderr.write(`No Services found${options.allNamespaces ? '' : ` in ${gathered.namespace} namespace`}.\n`);
    }
    const scope = { allNamespaces: options.allNamespaces, namespace: gathered.namespace };
    terminal.stdout.write(await renderHealthList(list, format ?? 'text', terminal, scope, { version: options.version }));
    return failsOn(list, options.failOn ?? 'none') ? ExitCode.broken : ExitCode.ok;
  }
  if (options.watch) {
    const { watchTrace } = await import('./watch.js');
    return watchTrace({ ...options, service: options.service }, terminal);
  }
  const gathered = await snapshotOfService(options, options.service, options.probe && { ...options.probe, port: options.port });
  const trace = analyze(gathered.result, { port: options.port });
  if (options.debug) reportRequests(terminal, gathered.requests);
  if (options.explain) {
    const { explain, renderExplanation } = await import('../explain/narrative.js');
    terminal.stdout.write(
      options.output === 'json'
        ? renderJson({ apiVersion: 'svc-trace/v1', kind: 'Explanation', service: trace.service, verdict: trace.verdict, paragraphs: explain(trace) })
        : renderExplanation(trace, terminal.columns),
    );
    return ExitCode.ok; // the verdict's exit code is trace's and assert's (README, Exit codes)
  }
  terminal.stdout.write(await renderTrace(trace, format!, terminal, { version: options.version }));
  return trace.verdict === 'broken' ? ExitCode.broken : ExitCode.ok;
}

// --probe opens connections to one Service's pods through the live API server.
function refuseProbe(options: TraceOptions): void {
  if (options.service === undefined) throw usageError('--probe probes the endpoints of one Service', 'name it: kubectl svc-trace SERVICE --probe');
  if (options.filenames.length > 0) throw usageError('--probe connects to live pods; it cannot be used with -f', 'drop --probe, or drop -f to trace the live Service');
  if (options.watch) throw usageError('--probe runs once; it cannot be used with --watch', 'drop --watch, or run kubectl svc-trace SERVICE --probe again');
}

// --fail-on is list mode's; an entry trace exits 1 when it is broken (its formats are checked in entry.ts).
function refuseFailOnForEntry(options: TraceOptions): void {
  if (options.failOn !== undefined) throw usageError('--fail-on is for list mode', 'drop --fail-on; a trace of an entry exits 1 when it is broken');
}
