// The health table of list mode (`kubectl svc-trace` with no Service), in kubectl's borderless style:
// columns padded to their widest cell, three spaces apart. Hand-written rather than cli-table3, whose
// layout takes time quadratic in the rows (seconds for a cluster's 2,500 Services); kubectl's own
// printer is a tab writer too.

import { stripVTControlCharacters } from 'node:util';
import type { ServiceHealthList, Trace } from '../analyze/model.js';
import { referrerName } from './hop-details.js';
import { makeStyle, verdictFormat } from './style.js';

const columnGap = '   ';

export function renderList(list: ServiceHealthList, options: { allNamespaces: boolean; color: boolean }): string {
  if (list.items.length === 0) return '';
  const style = makeStyle(options.color);
  const head = ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL', 'PORTS', 'READY', 'VERDICT', 'FINDING', 'ENTRY'];
  const table: string[][] = [options.allNamespaces ? ['NAMESPACE', ...head] : head];
  for (const trace of list.items) {
    const { service } = trace;
    const top = trace.findings.find((f) => f.level !== 'info') ?? trace.findings[0];
    const row = [
      service.name,
      service.type,
      service.clusterIP ?? '<none>',
      service.external.join(',') || '<none>',
      service.ports.join(',') || '<none>',
      trace.endpoints ? `${trace.endpoints.ready}/${trace.endpoints.total}` : '-',
      style.paint(verdictFormat[trace.verdict], trace.verdict),
      top ? top.id : '<none>',
      entryColumn(trace),
    ];
    table.push(options.allNamespaces ? [service.namespace, ...row] : row);
  }
  return `${columns(table).join('\n')}\n`;
}

// Rows of cells → lines, every column as wide as its widest cell (colour codes take no width).
function columns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, stripVTControlCharacters(cell).length)));
  return rows.map((row) =>
    row
      .map((cell, index) => cell + ' '.repeat(widths[index]! - stripVTControlCharacters(cell).length))
      .join(columnGap)
      .trimEnd(),
  );
}

// The Ingresses and routes in front of the Service: `ingress/shop,httproute/web`, `-` for none.
export function entryColumn(trace: Trace): string {
  const frontend = trace.hops.find((hop) => hop.kind === 'frontend');
  const names = [...new Set((frontend?.kind === 'frontend' ? (frontend.referencedBy ?? []) : []).map(referrerName))];
  return names.length === 0 ? '-' : names.length <= 2 ? names.join(',') : `${names.slice(0, 2).join(',')},+${names.length - 2} more`;
}
