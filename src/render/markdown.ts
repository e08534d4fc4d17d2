// -o markdown (list mode, one trace, assert): GitHub-flavoured Markdown for `$GITHUB_STEP_SUMMARY`
// and pull request comments. No ANSI codes; every value from the cluster or the manifests is escaped,
// so `<none>` shows as written and a `|` cannot break a table. A trace's hops are rendered from the
// model with the same detail lines as -o text, so what a hop learns to say shows up here too.

import type { Finding, Level, Trace, Verdict } from '../analyze/model.js';
import type { AssertionResult, ServiceAssertions } from '../assert/model.js';
import { formatSeconds } from '../assert/text.js';
import { hopDetails } from './hop-details.js';
import { entryColumn } from './list.js';
import { renderMermaid } from './mermaid.js';
import { verdictLine } from './text.js';

const verdictMark: Record<Verdict, string> = { ok: '✅', degraded: '⚠️', broken: '❌' };
const statusMark = { ok: '✅', warn: '⚠️', fail: '❌', skip: '⚪' } as const;
const levelMark: Record<Level, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };

// CommonMark lets any ASCII punctuation be escaped with a backslash; these are the ones Markdown or
// HTML would otherwise read as syntax. Line breaks inside a table cell become <br>.
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#]/g, (character) => `\\${character}`).replace(/\r?\n/g, '<br>');
}

const code = (text: string): string => `\`${text.replaceAll('`', "'")}\``;

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

function findingItem(finding: Finding, service?: string): string {
  const where = service ? `**${escapeMarkdown(service)}** ` : '';
  return `- ${levelMark[finding.level]} ${where}${code(finding.id)} (${finding.level}): ${escapeMarkdown(finding.message)}  \n  hint: ${escapeMarkdown(finding.hint)}`;
}

function counts(items: Trace[]): string {
  const count = (verdict: Verdict) => items.filter((trace) => trace.verdict === verdict).length;
  return (['broken', 'degraded', 'ok'] as const).map((verdict) => `${verdictMark[verdict]} ${count(verdict)} ${verdict}`).join(' · ');
}

export function renderListMarkdown(items: Trace[], options: { allNamespaces: boolean; namespace: string }): string {
  const scope = options.allNamespaces ? 'all namespaces' : `namespace ${escapeMarkdown(options.namespace)}`;
  const from = items.some((trace) => trace.source === 'manifests') ? ' (from manifests)' : '';
  const lines = [`### svc-trace: ${items.length} Service${items.length === 1 ? '' : 's'} in ${scope}${from}`, ''];
  if (items.length === 0) return `${[...lines, 'No Services found.'].join('\n')}\n`;
  lines.push(counts(items), '');
  const head = ['Service', 'Type', 'Cluster IP', 'External', 'Ports', 'Ready', 'Verdict', 'Finding', 'Entry'];
  const rows = items.map((trace) => {
    const { service } = trace;
    const top = trace.findings.find((f) => f.level !== 'info') ?? trace.findings[0];
    const row = [
      escapeMarkdown(service.name),
      service.type,
      escapeMarkdown(service.clusterIP ?? '<none>'),
      escapeMarkdown(service.external.join(', ') || '<none>'),
      escapeMarkdown(service.ports.join(', ') || '<none>'),
      trace.endpoints ? `${trace.endpoints.ready}/${trace.endpoints.total}` : '-',
      `${verdictMark[trace.verdict]} ${trace.verdict}`,
      top ? code(top.id) : '\\<none\\>',
      escapeMarkdown(entryColumn(trace)),
    ];
    return options.allNamespaces ? [escapeMarkdown(service.namespace), ...row] : row;
  });
  lines.push(...table(options.allNamespaces ? ['Namespace', ...head] : head, rows));
  const problems = items.flatMap((trace) =>
    trace.findings.filter((f) => f.level !== 'info').map((f) => findingItem(f, `${trace.service.namespace}/${trace.service.name}`)),
  );
  if (problems.length > 0) lines.push('', '#### Errors and warnings', '', ...problems);
  return `${lines.join('\n')}\n`;
}

export function renderTraceMarkdown(trace: Trace): string {
  const { service } = trace;
  const origin = service.manifest ? ` from ${code(`${service.manifest.file}:${service.manifest.line}`)}` : trace.source === 'manifests' ? ' (from manifests)' : '';
  const facts: string[][] = [
    ['Service', `${escapeMarkdown(`${service.namespace}/${service.name}`)}${origin}`],
    ['Type', escapeMarkdown(`${service.type}${service.type === 'ExternalName' ? '' : ` ${service.clusterIP ?? '<none>'}`}`)],
    ['Ports', escapeMarkdown(service.ports.join(', ') || '<none>')],
    ...(service.external.length > 0 ? [['External', escapeMarkdown(service.external.join(', '))]] : []),
    ...(trace.endpoints ? [['Ready', `${trace.endpoints.ready}/${trace.endpoints.total} endpoints`]] : []),
    ['Verdict', `${verdictMark[trace.verdict]} ${escapeMarkdown(verdictLine(trace))}`],
  ];
  const hops = trace.hops.map((hop) => [
    `${statusMark[hop.status]} ${hop.status}`,
    hop.kind,
    [hop.summary, ...hopDetails(hop, false), ...hop.notes.map((note) => `note: ${note}`)].map(escapeMarkdown).join('<br>'),
  ]);
  const lines = [
    `### svc-trace: ${escapeMarkdown(`${service.namespace}/${service.name}`)} is ${trace.verdict} ${verdictMark[trace.verdict]}`,
    '',
    ...table(['', ''], facts.map(([key, value]) => [`**${key}**`, value!])),
    '',
    '#### Hops',
    '',
    ...table(['Status', 'Hop', 'What it found'], hops),
    '',
    '#### Findings',
    '',
    ...(trace.findings.length > 0 ? trace.findings.map((f) => findingItem(f)) : ['None.']),
    '',
    '<details><summary>The hop chain as a diagram</summary>',
    '',
    '```mermaid',
    renderMermaid(trace).trimEnd(),
    '```',
    '',
    '</details>',
  ];
  return `${lines.join('\n')}\n`;
}

function assertionRows(service: ServiceAssertions): string[][] {
  const name = escapeMarkdown(`${service.namespace}/${service.name}`);
  const verdict = service.verdict ? `${verdictMark[service.verdict]} ${service.verdict}` : '❌ not found';
  const ready = service.endpoints ? `${service.endpoints.ready}/${service.endpoints.total}` : '-';
  return service.assertions.map((outcome, index) => [
    index === 0 ? name : '',
    index === 0 ? verdict : '',
    index === 0 ? ready : '',
    code(outcome.name),
    outcome.passed ? '✅ pass' : '❌ fail',
    [outcome.reason, ...outcome.details].map(escapeMarkdown).join('<br>'),
  ]);
}

export function renderAssertMarkdown(result: AssertionResult): string {
  const after = formatSeconds(result.timedOut ? result.timeoutSeconds : result.elapsedSeconds);
  const failed = result.services.filter((service) => !service.passed).length;
  const title = result.passed
    ? `✅ PASSED: every assertion holds (after ${after})`
    : result.services.length === 0
      ? `❌ FAILED: no Service${result.selector ? ` matches ${code(`-l ${result.selector.labelSelector}`)} in namespace ${escapeMarkdown(result.selector.namespace)}` : ''}`
      : `❌ FAILED: ${failed} of ${result.services.length} Service${result.services.length === 1 ? '' : 's'} did not meet the assertions (${result.timedOut ? 'timed out' : 'checked once'} after ${after})`;
  const lines = [`### svc-trace assert: ${title}`];
  if (result.services.length > 0) lines.push('', ...table(['Service', 'Verdict', 'Ready', 'Assertion', 'Result', 'Reason'], result.services.flatMap(assertionRows)));
  return `${lines.join('\n')}\n`;
}
