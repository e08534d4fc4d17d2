// entry trace → plain text (`-o text`, `-o wide`): the entry's header, hops and findings, then each
// backend Service's own trace, indented under a line that says where it comes from.

import type { EntryTrace } from '../analyze/entry-model.js';
import { allFindings, backendTitle, entryHeader, entryHopDetails } from './entry-details.js';
import { makeStyle, verdictFormat } from './style.js';
import { hopsAndFindings, renderText, verdictLine, type TextOptions } from './text.js';

export function renderEntryText(trace: EntryTrace, options: TextOptions): string {
  const style = makeStyle(options.color);
  const header = entryHeader(trace);
  const width = Math.max(...header.map(([label]) => label.length)) + 2;
  const lines = header.map(([label, value]) => `${label.padEnd(width)}${value}`);
  lines.push(`${'Verdict:'.padEnd(width)}${style.paint(verdictFormat[trace.verdict], verdictLine({ verdict: trace.verdict, findings: allFindings(trace) }))}`);
  lines.push(...hopsAndFindings(trace.hops, (hop) => entryHopDetails(hop, options.wide), trace.findings, style));
  trace.backends.forEach((backend, index) => {
    lines.push('', `Backend ${index + 1} of ${trace.backends.length}: ${backendTitle(backend)}`);
    if (backend.trace) {
      for (const line of renderText(backend.trace, options).trimEnd().split('\n')) lines.push(line ? `  ${line}` : '');
    }
  });
  if (trace.backends.length === 0) lines.push('', 'Backends: <none>');
  return `${lines.join('\n')}\n`;
}
