// `kubectl svc-trace ingress/NAME` (httproute/NAME, grpcroute/NAME): gather the entry and its
// backends, analyze, render. The request is checked (src/requests/trace.ts).

import { analyzeEntry } from '../analyze/entry.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { renderJson, renderYaml } from '../render/data.js';
import type { EntryTraceRequest } from '../requests/trace.js';
import { reportRequests, type Terminal } from './output.js';
import { snapshotOfEntry } from './source.js';

export async function runEntryTrace(request: EntryTraceRequest, terminal: Terminal): Promise<ExitCodeValue> {
  const gathered = await snapshotOfEntry(request, terminal);
  const trace = analyzeEntry(gathered.result);
  if (request.debug) reportRequests(terminal, gathered.requests);
  switch (request.output) {
    case 'json':
      terminal.stdout.write(renderJson(trace));
      break;
    case 'yaml':
      terminal.stdout.write(renderYaml(trace));
      break;
    case 'tree': {
      const { renderEntryTree } = await import('../render/tree.js');
      terminal.stdout.write(await renderEntryTree(trace, { color: terminal.color, columns: terminal.columns }));
      break;
    }
    default: {
      const { renderEntryText } = await import('../render/entry-text.js');
      terminal.stdout.write(renderEntryText(trace, { wide: request.output === 'wide', color: terminal.color }));
    }
  }
  return trace.verdict === 'broken' ? ExitCode.broken : ExitCode.ok;
}
