// The health table of list mode (`kubectl svc-trace` with no Service), drawn with cli-table3 in
// kubectl's borderless style.

import Table from 'cli-table3';
import type { ServiceHealthList, Trace } from '../analyze/model.js';
import { referrerName } from './hop-details.js';
import { makeStyle, verdictFormat } from './style.js';

const borderless = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '   ',
};

export function renderList(list: ServiceHealthList, options: { allNamespaces: boolean; color: boolean }): string {
  if (list.items.length === 0) return '';
  const style = makeStyle(options.color);
  const head = ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL', 'PORTS', 'READY', 'VERDICT', 'FINDING', 'ENTRY'];
  const table = new Table({
    head: options.allNamespaces ? ['NAMESPACE', ...head] : head,
    chars: borderless,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
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
  return `${table.toString().split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
}

// The Ingresses and routes in front of the Service: `ingress/shop,httproute/web`, `-` for none.
export function entryColumn(trace: Trace): string {
  const frontend = trace.hops.find((hop) => hop.kind === 'frontend');
  const names = [...new Set((frontend?.kind === 'frontend' ? (frontend.referencedBy ?? []) : []).map(referrerName))];
  return names.length === 0 ? '-' : names.length <= 2 ? names.join(',') : `${names.slice(0, 2).join(',')},+${names.length - 2} more`;
}
