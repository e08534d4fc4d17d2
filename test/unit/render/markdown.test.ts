// -o markdown: GitHub-flavoured Markdown for a job summary or a pull request comment. Read back with
// marked (a GFM parser): the tables have the rows and columns they should, values from the cluster
// show as written (`<none>`, a `|`) instead of turning into HTML or extra cells, and no ANSI codes.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Lexer, type Tokens } from 'marked';
import { analyze } from '../../../src/analyze/trace.js';
import { parseAssertions, portOf, type AssertionFlags } from '../../../src/assert/assertions.js';
import { evaluateService } from '../../../src/assert/evaluate.js';
import { assertionResult } from '../../../src/assert/result.js';
import { hopDetails } from '../../../src/render/hop-details.js';
import { escapeMarkdown, renderAssertMarkdown, renderListMarkdown, renderTraceMarkdown } from '../../../src/render/markdown.js';
import { renderMermaid } from '../../../src/render/mermaid.js';
import { loadFixture, snapshotOf } from '../../support/snapshot.js';
import { assertGolden } from './golden.js';
import { clusterList, clusterTrace, exampleList, exampleTrace } from './traces.js';

const tables = (markdown: string): Tokens.Table[] => Lexer.lex(markdown, { gfm: true }).filter((token): token is Tokens.Table => token.type === 'table');
const cells = (table: Tokens.Table): string[][] => table.rows.map((row) => row.map((cell) => cell.text));
// What a reader sees in a cell: marked's inline text with the backslash escapes resolved.
const shown = (cell: string): string => cell.replace(/\\([\\`*_[\]<>|~#])/g, '$1');

describe('list: golden output', () => {
  test('offline: the example shop', async () => {
    assertGolden('markdown-list-example', renderListMarkdown((await exampleList()).items, { allNamespaces: false, namespace: 'shop' }));
  });
  test('-A of a cluster', () => {
    assertGolden('markdown-list-all-namespaces', renderListMarkdown(clusterList('list').items, { allNamespaces: true, namespace: 'shop' }));
  });
});

describe('list: the table', () => {
  test('one row per Service, in order, with the most important finding and the verdict', () => {
    const list = clusterList('list', 'shop');
    const [table] = tables(renderListMarkdown(list.items, { allNamespaces: false, namespace: 'shop' }));
    assert.ok(table);
    assert.deepEqual(table.header.map((cell) => cell.text), ['Service', 'Type', 'Cluster IP', 'External', 'Ports', 'Ready', 'Verdict', 'Finding', 'Entry']);
    assert.deepEqual(cells(table).map((row) => row[0]), list.items.map((trace) => trace.service.name));
    list.items.forEach((trace, index) => {
      const top = trace.findings.find((f) => f.level !== 'info') ?? trace.findings[0];
      assert.equal(shown(cells(table)[index]![7]!), top ? `\`${top.id}\`` : '<none>', `${trace.service.name}: finding`);
    });
    const cart = cells(table).find((row) => row[0] === 'cart')!;
    assert.equal(cart[6], '❌ broken');
  });

  test('-A: a Namespace column first', () => {
    const [table] = tables(renderListMarkdown(clusterList('list').items, { allNamespaces: true, namespace: 'shop' }));
    assert.equal(table!.header[0]!.text, 'Namespace');
    assert.ok(cells(table!).some((row) => row[0] === 'staging' && row[1] === 'web'));
  });

  test('placeholders and pipes from the cluster stay text in their cell', async () => {
    const items = structuredClone((await exampleList()).items);
    items[0]!.service.external = ['a|b', '<script>'];
    const [table] = tables(renderListMarkdown(items, { allNamespaces: false, namespace: 'shop' }));
    const row = cells(table!)[0]!;
    assert.equal(row.length, 9, 'the | did not make a new cell');
    assert.equal(shown(row[3]!), 'a|b, <script>');
    assert.equal(shown(row[2]!), '<unassigned>');
  });

  test('errors and warnings listed under the table with their hints; info only in the table', () => {
    const list = clusterList('list', 'shop');
    const markdown = renderListMarkdown(list.items, { allNamespaces: false, namespace: 'shop' });
    const problems = list.items.flatMap((trace) => trace.findings.filter((f) => f.level !== 'info').map((f) => ({ trace, f })));
    assert.ok(problems.length > 0);
    for (const { trace, f } of problems) {
      assert.ok(markdown.includes(`**${trace.service.namespace}/${trace.service.name}** \`${f.id}\` (${f.level}): ${escapeMarkdown(f.message)}`), f.id);
      assert.ok(markdown.includes(`hint: ${escapeMarkdown(f.hint)}`));
    }
    const infos = list.items.flatMap((trace) => trace.findings.filter((f) => f.level === 'info'));
    for (const f of infos) assert.ok(!markdown.includes(`\`${f.id}\` (info)`), `${f.id} is not listed as a problem`);
  });

  test('no Services: a heading and a sentence, no table', () => {
    const markdown = renderListMarkdown([], { allNamespaces: false, namespace: 'kube-public' });
    assert.equal(markdown, '### svc-trace: 0 Services in namespace kube-public\n\nNo Services found.\n');
  });
});

describe('trace', () => {
  test('golden: checkout (degraded) from a cluster', () => {
    assertGolden('markdown-trace-checkout', renderTraceMarkdown(clusterTrace('list', 'shop', 'checkout')));
  });

  test('the hop table has one row per hop of the model, in order, with its detail lines and notes', async () => {
    const trace = await exampleTrace('cart');
    const markdown = renderTraceMarkdown(trace);
    const [facts, hops] = tables(markdown);
    assert.ok(facts && hops);
    assert.deepEqual(cells(hops).map((row) => row[1]), trace.hops.map((hop) => hop.kind));
    trace.hops.forEach((hop, index) => {
      const cell = shown(cells(hops)[index]![2]!);
      assert.ok(cell.startsWith(hop.summary), `${hop.kind}: summary`);
      for (const line of [...hopDetails(hop, false), ...hop.notes.map((note) => `note: ${note}`)]) assert.ok(cell.includes(line), `${hop.kind}: ${line}`);
    });
    assert.equal(cells(hops)[5]![0], '❌ fail');
  });

  test('offline: the manifest file and line of the Service', async () => {
    const trace = await exampleTrace('cart');
    const [facts] = tables(renderTraceMarkdown(trace));
    assert.match(cells(facts!)[0]![1]!, /^shop\/cart from `.*examples\/shop\/cart\.yaml:26`$/);
  });

  test('findings with hints, and the Mermaid diagram of the same trace in a folded block', async () => {
    const trace = await exampleTrace('cart');
    const markdown = renderTraceMarkdown(trace);
    assert.match(markdown, /^- ❌ `target-port-missing` \(error\): targetPort "http" of port http is not a container port of any selected pod {2}\n {2}hint: name a container port "http"/m);
    assert.ok(markdown.includes(`\`\`\`mermaid\n${renderMermaid(trace)}\`\`\``));
    assert.doesNotMatch(markdown, /\u001b\[/);
  });
});

describe('assert', () => {
  const evaluate = (fixture: string, flags: AssertionFlags) => {
    const assertions = parseAssertions(flags);
    const snapshot = snapshotOf(loadFixture(fixture));
    return evaluateService(snapshot, analyze(snapshot, { port: portOf(assertions) }), assertions);
  };
  const timing = { elapsedSeconds: 121.4, timeoutSeconds: 120, timedOut: true, passingSince: new Map<string, number>() };

  test('a failure: FAILED in the heading, a row per assertion, the reasons and not-ready pods in the last column', () => {
    const result = assertionResult([evaluate('no-ready-endpoints', { minReady: '2', noErrors: true })], timing);
    const markdown = renderAssertMarkdown(result);
    assert.match(markdown, /^### svc-trace assert: ❌ FAILED: 1 of 1 Service did not meet the assertions \(timed out after 2m\)\n/);
    const [table] = tables(markdown);
    assert.deepEqual(table!.header.map((cell) => cell.text), ['Service', 'Verdict', 'Ready', 'Assertion', 'Result', 'Reason']);
    const rows = cells(table!);
    assert.deepEqual(rows.map((row) => [row[3], row[4]]), [['`min-ready >= 2`', '❌ fail'], ['`no-errors`', '❌ fail']]);
    assert.deepEqual(rows[0]!.slice(0, 3), ['shop/web', '❌ broken', '0/3']);
    assert.match(shown(rows[0]![5]!), /^0 of 3 endpoints ready<br>not ready: web-7d9c5b6f4d-nfh7v .*readiness probe of web failing/);
    assert.doesNotMatch(markdown, /\u001b\[/);
  });

  test('a pass: PASSED, every assertion ✅', () => {
    const result = assertionResult([evaluate('healthy-web', { minReady: '2' })], { ...timing, elapsedSeconds: 3.2, timedOut: false });
    const markdown = renderAssertMarkdown(result);
    assert.match(markdown, /^### svc-trace assert: ✅ PASSED: every assertion holds \(after 3\.2s\)\n/);
    assert.ok(cells(tables(markdown)[0]!).every((row) => row[4] === '✅ pass'));
  });
});
