// Picks the renderer for -o and writes results to stdout (only results go there).

import type { ServiceHealthList, Trace } from '../analyze/model.js';
import { renderJson, renderYaml } from '../render/data.js';
import { renderList } from '../render/list.js';
import { renderText } from '../render/text.js';
import type { FailOn, TraceFormat } from '../requests/trace.js';

// What renderers may say about svc-trace itself (SARIF's tool.driver.version).
export interface RenderContext {
  version?: string;
}

// --fail-on (list mode): whether the list's verdicts make the command exit 1.
export function failsOn(list: ServiceHealthList, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return list.items.some((trace) => trace.verdict === 'broken' || (failOn === 'warning' && trace.verdict === 'degraded'));
}

export interface Terminal {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean; // stdout's
  stderrIsTTY: boolean;
  columns: number;
  color: boolean;
}

// --debug's last line: how many requests the command made (an undefined count, offline, says nothing).
export function reportRequests(terminal: Terminal, requests: number | undefined): void {
  if (requests !== undefined) terminal.stderr.write(`debug: ${requests} API requests\n`);
}

export async function renderTrace(trace: Trace, format: TraceFormat, terminal: Terminal, context: RenderContext = {}): Promise<string> {
  switch (format) {
    case 'markdown':
      return (await import('../render/markdown.js')).renderTraceMarkdown(trace);
    case 'mermaid':
      return (await import('../render/mermaid.js')).renderMermaid(trace);
    case 'sarif':
      return (await import('../render/sarif.js')).renderSarif([trace], context);
    case 'json':
      return renderJson(trace);
    case 'yaml':
      return renderYaml(trace);
    case 'tree': {
      const { renderTree } = await import('../render/tree.js');
      return renderTree(trace, { color: terminal.color, columns: terminal.columns });
    }
    default:
      return renderText(trace, { wide: format === 'wide', color: terminal.color });
  }
}

export async function renderHealthList(
  list: ServiceHealthList,
  format: TraceFormat,
  terminal: Terminal,
  scope: { allNamespaces: boolean; namespace: string },
  context: RenderContext = {},
): Promise<string> {
  if (format === 'json') return renderJson(list);
  if (format === 'yaml') return renderYaml(list);
  if (format === 'sarif') return (await import('../render/sarif.js')).renderSarif(list.items, context);
  if (format === 'markdown') return (await import('../render/markdown.js')).renderListMarkdown(list.items, scope);
  return renderList(list, { allNamespaces: scope.allNamespaces, color: terminal.color });
}
