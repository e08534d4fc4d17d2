// -o mermaid: the flowchart parses with Mermaid's own parser, has one node per hop (the backend hop
// fanned out into its pods), each node in the class of its status, and the edge into a failing node
// labelled with the finding id. Values from the cluster cannot break the diagram.

import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Trace } from '../../../src/analyze/model.js';
import { renderMermaid } from '../../../src/render/mermaid.js';
import { mermaidParser, type MermaidParser } from './mermaid-parser.js';
import { clusterTrace, exampleTrace } from './traces.js';

// The parser, or a loud skip with the reason.
async function parserOrSkip(t: TestContext): Promise<MermaidParser | undefined> {
  const parser = await mermaidParser();
  if ('unavailable' in parser) {
    process.stderr.write(`SKIPPED (Mermaid parse): ${parser.unavailable}\n`);
    t.skip(parser.unavailable);
    return undefined;
  }
  return parser;
}

const traces: Array<[string, () => Trace | Promise<Trace>]> = [
  ['offline cart (broken: target-port-missing)', () => exampleTrace('cart')],
  ['offline frontend (LoadBalancer)', () => exampleTrace('frontend')],
  ['healthy web', () => clusterTrace('healthy', 'shop', 'web')],
  ['checkout (degraded)', () => clusterTrace('list', 'shop', 'checkout')],
  ['legacy-db (no selector)', () => clusterTrace('list', 'shop', 'legacy-db')],
  ['web with no matching pod', () => clusterTrace('no-pods', 'shop', 'web')],
  ['redis (headless)', () => clusterTrace('list', 'shop', 'redis')],
];

describe('-o mermaid parses with Mermaid\'s parser', () => {
  for (const [name, make] of traces) {
    test(name, async (t) => {
      const parser = await parserOrSkip(t);
      if (!parser) return;
      const text = renderMermaid(await make());
      await parser.parse(text);
    });
  }

  test('the parser is not vacuous: a broken flowchart is refused', async (t) => {
    const parser = await parserOrSkip(t);
    if (!parser) return;
    await assert.rejects(parser.parse('flowchart LR\n  a["x"] --> \n  b["unclosed]'));
  });
});

describe('-o mermaid: the nodes and edges Mermaid reads', () => {
  test('offline cart: client → dns → frontend → routing → endpoint → pod, the failing edge labelled', async (t) => {
    const parser = await parserOrSkip(t);
    if (!parser) return;
    const trace = await exampleTrace('cart');
    const chart = await parser.flowchart(renderMermaid(trace));
    assert.deepEqual([...chart.vertices.keys()], ['hop_client', 'hop_dns', 'hop_frontend', 'hop_routing', 'hop_endpoint', 'pod_1']);
    assert.deepEqual(
      [...chart.vertices.values()].map((vertex) => vertex.classes),
      [['ok'], ['ok'], ['ok'], ['ok'], ['skip'], ['fail']],
    );
    assert.match(chart.vertices.get('pod_1')!.text, /✖ pod cart/);
    assert.deepEqual(
      chart.edges.map((edge) => `${edge.start}->${edge.end}${edge.text ? ` [${edge.text}]` : ''}`),
      ['hop_client->hop_dns', 'hop_dns->hop_frontend', 'hop_frontend->hop_routing', 'hop_routing->hop_endpoint', 'hop_endpoint->pod_1 [target-port-missing]'],
    );
  });

  test('each hop node is in the class of its hop status; each pod of the backend hop gets a node', async (t) => {
    const parser = await parserOrSkip(t);
    if (!parser) return;
    const trace = clusterTrace('list', 'shop', 'checkout');
    const chart = await parser.flowchart(renderMermaid(trace));
    for (const hop of trace.hops.filter((h) => h.kind !== 'backend')) {
      assert.deepEqual(chart.vertices.get(`hop_${hop.kind}`)?.classes, [hop.status], `${hop.kind} is ${hop.status}`);
    }
    const backend = trace.hops.find((h) => h.kind === 'backend');
    assert.ok(backend?.kind === 'backend');
    const pods = new Set(backend.backends.map((row) => row.pod));
    assert.equal([...chart.vertices.keys()].filter((id) => id.startsWith('pod_')).length, pods.size);
  });

  test('a warning hop: the edge into it carries the warning id', async (t) => {
    const parser = await parserOrSkip(t);
    if (!parser) return;
    const trace = clusterTrace('list', 'shop', 'checkout');
    const warning = trace.findings.find((f) => f.level === 'warning');
    assert.ok(warning, 'checkout has a warning');
    const chart = await parser.flowchart(renderMermaid(trace));
    assert.ok(chart.edges.some((edge) => edge.text.split(', ').includes(warning.id)), `an edge labelled ${warning.id}`);
  });

  test('quotes, #, <, >, backticks and Mermaid keywords in a summary stay inside their node', async (t) => {
    const parser = await parserOrSkip(t);
    if (!parser) return;
    const trace = structuredClone(await exampleTrace('cart'));
    trace.hops[1]!.summary = 'say "hi" #1 <b>not bold</b> `x` end --> a[b] ; classDef x';
    const text = renderMermaid(trace);
    await parser.parse(text);
    const chart = await parser.flowchart(text);
    assert.equal(chart.vertices.size, 6, 'no node came out of the summary');
    assert.equal(chart.edges.length, 5, 'no edge came out of the summary');
    assert.doesNotMatch(chart.vertices.get('hop_dns')!.text, /<b>not bold<\/b>/, 'HTML from the cluster is not HTML in the label');
  });

  test('a pod is as bad as the findings that name it and its rows: a refused probe fails it, a timeout warns', async (t) => {
    const parser = await parserOrSkip(t);
    if (!parser) return;
    const trace = structuredClone(clusterTrace('healthy', 'shop', 'web'));
    const backend = trace.hops.find((h) => h.kind === 'backend');
    assert.ok(backend?.kind === 'backend' && new Set(backend.backends.map((row) => row.pod)).size === 2);
    const [first, second] = [...new Set(backend.backends.map((row) => row.pod))];
    for (const row of backend.backends) row.probe = row.pod === first ? { outcome: 'refused', port: 8080 } : { outcome: 'timeout', port: 8080 };
    const chart = await parser.flowchart(renderMermaid(trace));
    assert.match(chart.vertices.get('pod_1')!.text, new RegExp(`pod ${first}`));
    assert.deepEqual(chart.vertices.get('pod_1')!.classes, ['fail']);
    assert.match(chart.vertices.get('pod_1')!.text, /probe: refused/);
    assert.match(chart.vertices.get('pod_2')!.text, new RegExp(`pod ${second}`));
    assert.deepEqual(chart.vertices.get('pod_2')!.classes, ['warn']);
  });

  test('many pods: the first 8 and a "+ N more" node', async (t) => {
    const parser = await parserOrSkip(t);
    if (!parser) return;
    const trace = structuredClone(clusterTrace('healthy', 'shop', 'web'));
    const backend = trace.hops.find((h) => h.kind === 'backend');
    assert.ok(backend?.kind === 'backend' && backend.backends.length > 0);
    const row = backend.backends[0]!;
    backend.backends = Array.from({ length: 12 }, (_, index) => ({ ...row, pod: `web-${index}` }));
    const chart = await parser.flowchart(renderMermaid(trace));
    const pods = [...chart.vertices.keys()].filter((id) => id.startsWith('pod_'));
    assert.equal(pods.length, 9);
    assert.match(chart.vertices.get('pod_more')!.text, /\+ 4 more pods/);
  });
});

describe('-o mermaid: text', () => {
  test('a title with the Service and verdict, classDef colours for every status, no ANSI', async () => {
    const text = renderMermaid(await exampleTrace('cart'));
    assert.match(text, /^---\ntitle: "shop\/cart: broken"\n---\nflowchart LR\n/);
    for (const status of ['ok', 'warn', 'fail', 'skip']) assert.match(text, new RegExp(`^  classDef ${status} fill:#[0-9a-f]{6},stroke:#`, 'm'));
    assert.match(text, /^ {2}linkStyle 4 stroke:#d93025/m, 'the failing edge is drawn red');
    assert.doesNotMatch(text, /\u001b\[/);
  });
});
