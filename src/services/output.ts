// Picks the renderer for -o and writes results to stdout (only results go there).

import type { ServiceHealthList, Trace } from '../analyze/model.js';
import { usageError } from '../errors.js';
import { renderJson, renderYaml } from '../render/data.js';
import { renderList } from '../render/list.js';
import { renderText } from '../render/text.js';

export const traceFormats = ['text', 'tree', 'wide', 'json', 'yaml'] as const;
export type TraceFormat = (typeof traceFormats)[number];

export interface Terminal {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  columns: number;
  color: boolean;
}

export function traceFormat(flag: string | undefined, terminal: Terminal): TraceFormat {
  if (flag === undefined) return terminal.isTTY ? 'tree' : 'text';
  if ((traceFormats as readonly string[]).includes(flag)) return flag as TraceFormat;
  throw usageError(`unknown output format "${flag}"`, `use one of: ${traceFormats.join(', ')}`);
}

export async function renderTrace(trace: Trace, format: TraceFormat, terminal: Terminal): Promise<string> {
  switch (format) {
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

export function renderHealthList(list: ServiceHealthList, format: TraceFormat, terminal: Terminal, allNamespaces: boolean): string {
  if (format === 'json') return renderJson(list);
  if (format === 'yaml') return renderYaml(list);
  return renderList(list, { allNamespaces, color: terminal.color });
}
