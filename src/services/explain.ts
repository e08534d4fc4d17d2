// `kubectl svc-explain SERVICE` (and ingress/NAME, httproute/NAME, grpcroute/NAME): gather, analyze,
// and tell the trace in plain English — as paragraphs, or as one Explanation object (-o json).
// The request is checked (src/requests/explain.ts).

import type { EntryTrace } from '../analyze/entry-model.js';
import type { Trace, Verdict } from '../analyze/model.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { renderJson } from '../render/data.js';
import type { ExplainRequest } from '../requests/explain.js';
import type { EntryTarget } from '../requests/target.js';
import { reportRequests, type Terminal } from './output.js';
import { snapshotOfEntry, snapshotOfService } from './source.js';

// What is explained: the Service (or the entry) as its trace names it, and what is said of it.
interface Explanation {
  subject: Pick<Trace, 'service'> | Pick<EntryTrace, 'entry'>;
  verdict: Verdict;
  paragraphs: string[];
}

export async function runExplain(request: ExplainRequest, terminal: Terminal): Promise<ExitCodeValue> {
  const { renderParagraphs } = await import('../explain/narrative.js');
  const explanation = 'entry' in request.target ? await explainEntry(request, request.target.entry, terminal) : await explainService(request, request.target.service, terminal);
  terminal.stdout.write(
    request.output === 'json'
      ? renderJson({ apiVersion: 'svc-trace/v1', kind: 'Explanation', ...explanation.subject, verdict: explanation.verdict, paragraphs: explanation.paragraphs })
      : renderParagraphs(explanation.paragraphs, terminal.columns),
  );
  return ExitCode.ok; // the verdict's exit code is trace's and assert's (README, Exit codes)
}

async function explainService(request: ExplainRequest, service: string, terminal: Terminal): Promise<Explanation> {
  const [{ analyze }, { explain }] = await Promise.all([import('../analyze/trace.js'), import('../explain/narrative.js')]);
  const gathered = await snapshotOfService({ ...request, service }, terminal, request.probe && { ...request.probe, port: request.port });
  const trace = analyze(gathered.result, { port: request.port });
  if (request.debug) reportRequests(terminal, gathered.requests);
  return { subject: { service: trace.service }, verdict: trace.verdict, paragraphs: explain(trace) };
}

async function explainEntry(request: ExplainRequest, entry: EntryTarget, terminal: Terminal): Promise<Explanation> {
  const [{ analyzeEntry }, { explainEntry: explainOf }] = await Promise.all([import('../analyze/entry.js'), import('../explain/entry-narrative.js')]);
  const gathered = await snapshotOfEntry({ ...request, entry }, terminal);
  const trace = analyzeEntry(gathered.result);
  if (request.debug) reportRequests(terminal, gathered.requests);
  return { subject: { entry: trace.entry }, verdict: trace.verdict, paragraphs: explainOf(trace) };
}
