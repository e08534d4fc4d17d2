// `kubectl svc-trace ingress/NAME` (httproute/NAME, grpcroute/NAME) and `kubectl svc-explain` of
// them: gather the entry and its backends, analyze, render.

import type { EntryKind } from '../analyze/entry-model.js';
import { analyzeEntry } from '../analyze/entry.js';
import { ExitCode, usageError, type ExitCodeValue } from '../errors.js';
import { parseClientReference } from '../kube/client-reference.js';
import { renderJson, renderYaml } from '../render/data.js';
import type { EntrySnapshot } from '../snapshot.js';
import { reportRequests, traceFormat, type Terminal } from './output.js';
import type { Gathered, SourceOptions } from './source.js';

// The formats an entry trace is drawn in (a Service trace may know more).
const entryFormats: string[] = ['text', 'tree', 'wide', 'json', 'yaml'];

export interface EntryTraceOptions extends SourceOptions {
  entry: { kind: EntryKind; name: string };
  output?: string;
  explain?: boolean;
  port?: string;
  watch?: boolean;
  probe?: object;
}

async function snapshotOfEntry(options: EntryTraceOptions): Promise<Gathered<EntrySnapshot>> {
  if (options.filenames.length > 0) {
    const [{ loadManifests }, { offlineEntrySnapshot }] = await Promise.all([import('../cluster/manifests.js'), import('../cluster/offline-entry.js')]);
    const namespace = options.namespace ?? 'default';
    const objects = await loadManifests(options.filenames, options.stdin);
    const client = parseClientReference(options.from, options.fromNamespace);
    return { result: offlineEntrySnapshot(objects, { namespace, ...options.entry, client }), namespace };
  }
  const [{ connect }, { gatherEntry }] = await Promise.all([import('../cluster/kubeconfig.js'), import('../cluster/gather-entry.js')]);
  const connection = await connect(options);
  const snapshot = await gatherEntry(connection.gateway, { namespace: connection.namespace, ...options.entry, from: options.from, fromNamespace: options.fromNamespace });
  return { result: snapshot, namespace: connection.namespace, requests: connection.gateway.requestCount };
}

export async function runEntryTrace(options: EntryTraceOptions, terminal: Terminal): Promise<ExitCodeValue> {
  const word = options.entry.kind.toLowerCase();
  if (options.watch) throw usageError(`--watch follows one Service, not an ${options.entry.kind}`, `trace ${word}/${options.entry.name} without -w, or watch one of its Services`);
  if (options.port !== undefined) throw usageError(`--port picks a Service port; ${word}/${options.entry.name} names its own`, 'drop --port: each backend is traced on the port the entry names');
  if (options.probe) throw usageError(`--probe probes the endpoints of one Service, not an ${options.entry.kind}`, 'trace one of its backend Services with --probe');
  if (options.explain && options.output !== undefined && options.output !== 'text' && options.output !== 'json') {
    throw usageError(`unknown output format "${options.output}" for explain`, 'use text or json');
  }
  if (options.allNamespaces) throw usageError(`-A lists Services; ${word}/${options.entry.name} is one object of one namespace`, `name its namespace with -n, or drop ${word}/${options.entry.name} for the list`);
  const format = options.explain ? undefined : traceFormat(options.output, terminal);
  if (format !== undefined && !entryFormats.includes(format)) {
    throw usageError(`-o ${format} is not available for ${word}/${options.entry.name}`, `use one of: ${entryFormats.join(', ')}`);
  }
  const gathered = await snapshotOfEntry(options);
  const trace = analyzeEntry(gathered.result);
  if (options.debug) reportRequests(terminal, gathered.requests);
  if (options.explain) {
    const { explainEntry, renderEntryExplanation } = await import('../explain/entry-narrative.js');
    terminal.stdout.write(
      options.output === 'json'
        ? renderJson({ apiVersion: 'svc-trace/v1', kind: 'Explanation', entry: trace.entry, verdict: trace.verdict, paragraphs: explainEntry(trace) })
        : renderEntryExplanation(trace, terminal.columns),
    );
    return ExitCode.ok;
  }
  switch (format) {
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
      terminal.stdout.write(renderEntryText(trace, { wide: format === 'wide', color: terminal.color }));
    }
  }
  return trace.verdict === 'broken' ? ExitCode.broken : ExitCode.ok;
}
