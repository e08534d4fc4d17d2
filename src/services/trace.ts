// `kubectl svc-trace [SERVICE]`: gather, analyze, render — one Service, an entry in front of
// Services (entry.ts), the live view (watch.ts) or the list of Services. The request is checked.

import type { ServiceHealthList } from '../analyze/model.js';
import { analyze } from '../analyze/trace.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import type { ListTraceRequest, TraceRequest } from '../requests/trace.js';
import { failsOn, renderHealthList, renderTrace, reportRequests, type Terminal } from './output.js';
import { snapshotOfService, snapshotsOfNamespace } from './source.js';

export async function runTrace(request: TraceRequest, terminal: Terminal): Promise<ExitCodeValue> {
  if (request.mode === 'entry') return (await import('./entry.js')).runEntryTrace(request, terminal);
  if (request.mode === 'list') return traceList(request, terminal);
  if (request.watch) return (await import('./watch.js')).watchTrace(request, terminal);
  const gathered = await snapshotOfService(request, terminal, request.probe && { ...request.probe, port: request.port });
  const trace = analyze(gathered.result, { port: request.port });
  if (request.debug) reportRequests(terminal, gathered.requests);
  terminal.stdout.write(await renderTrace(trace, request.output, terminal, { version: request.version }));
  return trace.verdict === 'broken' ? ExitCode.broken : ExitCode.ok;
}

async function traceList(request: ListTraceRequest, terminal: Terminal): Promise<ExitCodeValue> {
  const gathered = await snapshotsOfNamespace(request, terminal);
  const list: ServiceHealthList = {
    apiVersion: 'svc-trace/v1',
    kind: 'ServiceHealthList',
    items: gathered.result.map((snapshot) => analyze(snapshot)),
  };
  if (request.debug) reportRequests(terminal, gathered.requests);
  if (list.items.length === 0 && !['json', 'yaml', 'sarif', 'markdown'].includes(request.output)) {
    terminal.stderr.write(`No Services found${request.allNamespaces ? '' : ` in ${gathered.namespace} namespace`}.\n`);
  }
  const scope = { allNamespaces: request.allNamespaces, namespace: gathered.namespace };
  terminal.stdout.write(await renderHealthList(list, request.output, terminal, scope, { version: request.version }));
  return failsOn(list, request.failOn) ? ExitCode.broken : ExitCode.ok;
}
