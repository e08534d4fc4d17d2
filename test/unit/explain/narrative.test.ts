// `kubectl svc-explain`: the trace told in paragraphs — what the Service is, how it is reached, who
// backs it, what is wrong and what to do — as golden files, plus how the text is laid out.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explain, renderExplanation } from '../../../src/explain/narrative.js';
import { assertGolden } from '../render/golden.js';
import { clusterTrace, exampleTrace } from '../render/traces.js';

describe('svc-explain: golden paragraphs at 100 columns', () => {
  const cases: Array<[string, () => ReturnType<typeof clusterTrace> | Promise<ReturnType<typeof clusterTrace>>]> = [
    ['explain-checkout', () => clusterTrace('list', 'shop', 'checkout')],
    ['explain-cart', () => clusterTrace('list', 'shop', 'cart')],
    ['explain-redis', () => clusterTrace('list', 'shop', 'redis')],
    ['explain-legacy-db', () => clusterTrace('list', 'shop', 'legacy-db')],
    ['explain-web-healthy', () => clusterTrace('healthy', 'shop', 'web')],
    ['explain-no-pods', () => clusterTrace('no-pods', 'shop', 'web')],
    ['explain-example-cart', () => exampleTrace('cart')],
    ['explain-example-api', () => exampleTrace('api')],
  ];
  for (const [name, make] of cases) {
    test(name, async () => {
      assertGolden(name, renderExplanation(await make(), 100));
    });
  }
});

describe('svc-explain: what the paragraphs say', () => {
  test('in order: what it is, how it is reached, who backs it, the verdict, each problem with its fix and id', () => {
    const paragraphs = explain(clusterTrace('list', 'shop', 'cart'));
    assert.match(paragraphs[0]!, /^cart is a ClusterIP Service in namespace shop\. It selects the pods labelled app=cart/);
    assert.match(paragraphs[1]!, /resolve to the virtual IP 10\.96\.88\.3\. Clients connect to 10\.96\.88\.3:80\/TCP\./);
    assert.match(paragraphs[2]!, /^2 endpoints back it, 0 ready: .*not ready: container cart CrashLoopBackOff/);
    assert.equal(paragraphs[3], 'It is broken:');
    assert.match(paragraphs[4]!, /^- None of 2 endpoint\(s\) is ready: .* To fix: .* \(no-ready-endpoints\)$/);
  });

  test('a healthy Service says nothing is wrong', () => {
    assert.ok(explain(clusterTrace('healthy', 'shop', 'web')).includes('Nothing is wrong: every hop holds.'));
  });

  test('a degraded Service says it works, but degraded', () => {
    assert.ok(explain(clusterTrace('not-ready', 'shop', 'web')).includes('It works, but degraded:'));
  });

  test('offline: says the manifests were read, and what was not checked', async () => {
    const paragraphs = explain(await exampleTrace('frontend'));
    assert.match(paragraphs[0]!, /\(read from manifests, not from a cluster\)/);
    assert.ok(paragraphs.includes('Nothing is wrong in the manifests.'));
    assert.match(paragraphs.at(-1)!, /^Not checked: .*EndpointSlices exist only in a cluster/);
  });

  test('paragraphs are separated by one blank line and wrapped to the terminal, 100 columns at most', () => {
    const trace = clusterTrace('list', 'shop', 'checkout');
    for (const columns of [60, 100, 200]) {
      const output = renderExplanation(trace, columns);
      const limit = Math.min(columns, 100);
      for (const line of output.split('\n')) assert.ok(line.length <= limit, `${columns} columns: a line of ${line.length}: ${line}`);
      assert.equal(output.split('\n\n').length, explain(trace).length);
      assert.ok(output.endsWith('.\n') || output.endsWith(')\n'));
    }
  });

  test('a wrapped problem keeps its indent under the dash', () => {
    const output = renderExplanation(clusterTrace('list', 'shop', 'checkout'), 60);
    const problem = output.split('\n\n').find((p) => p.startsWith('- 1 of 7 endpoints not ready'))!;
    for (const line of problem.split('\n').slice(1)) assert.match(line, /^ {2}\S/);
  });

  test('a message that starts with a field name keeps its case', async () => {
    const output = renderExplanation(await exampleTrace('cart'), 100);
    assert.match(output, /- targetPort "http"/);
  });
});
