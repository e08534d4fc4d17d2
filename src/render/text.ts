// trace → plain text: the non-TTY default (`-o text`) and `-o wide`. Greppable, no box drawing.

import type { Finding, HopBase, Trace } from '../analyze/model.js';
import { hopDetails } from './hop-details.js';
import { levelFormat, makeStyle, statusFormat, verdictFormat, type Style } from './style.js';

export interface TextOptions {
  wide: boolean;
  color: boolean;
}

export function verdictLine(trace: Pick<Trace, 'verdict' | 'findings'>): string {
  const count = (level: Finding['level']) => trace.findings.filter((f) => f.level === level).length;
  const parts = [
    [count('error'), 'error'],
    [count('warning'), 'warning'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, word]) => `${n} ${word}${n === 1 ? '' : 's'}`);
  return `${trace.verdict}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

export function headerLines(trace: Trace, style: Style): string[] {
  const { service } = trace;
  const address = service.type === 'ExternalName' ? '' : ` ${service.clusterIP ?? '<none>'}`;
  const lines = [
    `Service:  ${service.namespace}/${service.name}${trace.source === 'manifests' ? ' (from manifests)' : ''}`,
    `Type:     ${service.type}${address}${service.external.length ? `  external: ${service.external.join(', ')}` : ''}`,
    `Ports:    ${service.ports.join(', ') || '<none>'}`,
  ];
  if (trace.endpoints) lines.push(`Ready:    ${trace.endpoints.ready}/${trace.endpoints.total} endpoints`);
  lines.push(`Verdict:  ${style.paint(verdictFormat[trace.verdict], verdictLine(trace))}`);
  return lines;
}

export function findingLines(findings: Finding[], style: Style): string[] {
  return findings.flatMap((f) => [
    `  ${style.paint(levelFormat[f.level], f.level.padEnd(8))}${f.id}: ${f.message}`,
    `          hint: ${f.hint}`,
  ]);
}

export function renderText(trace: Trace, options: TextOptions): string {
  const style = makeStyle(options.color);
  const lines = [...headerLines(trace, style), ...hopsAndFindings(trace.hops, (hop) => hopDetails(hop, options.wide), trace.findings, style)];
  return `${lines.join('\n')}\n`;
}

// `Hops:` with each hop's status, kind, summary, details and notes; then `Findings:` (an entry's hops too).
export function hopsAndFindings<H extends HopBase & { kind: string }>(hops: H[], details: (hop: H) => string[], findings: Finding[], style: Style): string[] {
  const lines = ['', 'Hops:'];
  for (const hop of hops) {
    lines.push(`  ${style.paint(statusFormat[hop.status], hop.status.padEnd(5))} ${hop.kind.padEnd(9)} ${hop.summary}`);
    for (const detail of details(hop)) lines.push(`${' '.repeat(18)}${detail}`);
    for (const note of hop.notes) lines.push(`${' '.repeat(18)}note: ${note}`);
  }
  lines.push('', 'Findings:');
  lines.push(...(findings.length ? findingLines(findings, style) : ['  <none>']));
  return lines;
}
