// -o tree: the ink view rendered to a string at a fixed width of 100 columns, with colour off
// (golden files) and on (the same words, with ANSI colours that follow the verdict and statuses).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
// ink paints through chalk, which decides by itself whether this process may have colour (a TTY,
// FORCE_COLOR, a --color flag in process.argv); the tests set its level explicitly.
import chalk from 'chalk';
import type { Trace } from '../../../src/analyze/model.js';
import { renderTree } from '../../../src/render/tree.js';
import { assertGolden } from './golden.js';
import { clusterTrace, exampleTrace } from './traces.js';

const columns = 100;
const tree = (trace: Trace, color = false, width = columns) => renderTree(trace, { color, columns: width });
const width = (line: string) => [...stripVTControlCharacters(line)].length;
// The words a reader sees: no colour codes, no trailing blanks (ink leaves one after dimmed text).
const words = (output: string) => stripVTControlCharacters(output).replace(/ +$/gm, '');

describe('-o tree: golden output at 100 columns, colour off', () => {
  test('a degraded LoadBalancer', async () => {
    assertGolden('tree-checkout', await tree(clusterTrace('list', 'shop', 'checkout')));
  });
  test('a broken Service', async () => {
    assertGolden('tree-cart', await tree(clusterTrace('list', 'shop', 'cart')));
  });
  test('a headless Service with one endpoint', async () => {
    assertGolden('tree-redis', await tree(clusterTrace('list', 'shop', 'redis')));
  });
  test('offline: the example api behind a NetworkPolicy', async () => {
    assertGolden('tree-example-api', await tree(await exampleTrace('api')));
  });
  test('offline: the broken example cart', async () => {
    assertGolden('tree-example-cart', await tree(await exampleTrace('cart')));
  });
});

describe('-o tree: layout', () => {
  test('the box is exactly as wide as the terminal and no line is wider', async () => {
    for (const cols of [100, 72]) {
      const lines = (await tree(clusterTrace('list', 'shop', 'checkout'), false, cols)).trimEnd().split('\n');
      assert.equal(width(lines[0]!), cols, `top border at ${cols} columns`);
      assert.match(lines[0]!, /^╭─+╮$/);
      for (const line of lines) assert.ok(width(line) <= cols, `line wider than ${cols} columns: ${line}`);
    }
  });

  test('the hops form one chain inside the box: status icon, kind, summary', async () => {
    const output = await tree(clusterTrace('list', 'shop', 'cart'));
    const hops = output
      .split('\n')
      .filter((line) => /^│ [✔⚠✖○] /.test(line))
      .map((line) => line.slice(2).trim().split(/\s+/).slice(0, 2).join(' '));
    assert.deepEqual(hops, ['✔ client', '✔ dns', '✔ frontend', '✔ routing', '✖ endpoint', '✔ backend']);
  });

  test('findings follow the box, each with its hint', async () => {
    const output = await tree(clusterTrace('list', 'shop', 'cart'));
    const after = output.split('╯\n')[1]!;
    assert.match(after, /^ error {4}no-ready-endpoints: none of 2 endpoint\(s\) is ready/);
    assert.match(after, /\n {10}hint: the pods fail their readiness probe/);
  });

  test('wrapped detail lines stay inside the hop chain', async () => {
    const lines = (await tree(clusterTrace('list', 'shop', 'checkout'))).split('\n');
    // After the title, the facts and a blank line: hop lines, the │ chain, or indented details.
    const inside = lines.slice(4, lines.findIndex((line) => line.startsWith('╰')));
    for (const line of inside) assert.match(line, /^│ ([✔⚠✖○] |│| )/, 'a line that broke out of the hop chain');
  });
});

describe('-o tree: colour switch', () => {
  test('color: true paints even where chalk detects no colour support', async () => {
    const detected = chalk.level;
    chalk.level = 0;
    try {
      assert.match(await tree(clusterTrace('list', 'shop', 'cart'), true), /\u001b\[31m/);
    } finally {
      chalk.level = detected;
    }
  });
});

describe('-o tree: colour on', () => {
  let detected: typeof chalk.level;
  before(() => {
    detected = chalk.level;
    chalk.level = 1;
  });
  after(() => {
    chalk.level = detected;
  });

  const cases: Array<[string, () => Promise<Trace>, string]> = [
    ['broken: red', async () => clusterTrace('list', 'shop', 'cart'), '\u001b[31m'],
    ['degraded: yellow', async () => clusterTrace('list', 'shop', 'checkout'), '\u001b[33m'],
    ['ok: green', async () => clusterTrace('healthy', 'shop', 'web'), '\u001b[32m'],
  ];
  for (const [name, make, verdictColor] of cases) {
    test(`the border and verdict take the verdict's colour (${name}); the words are those of the plain view`, async () => {
      const trace = await make();
      const painted = await tree(trace, true);
      const plain = await tree(trace, false);
      assert.ok(painted.startsWith(`${verdictColor}╭`), 'top border painted in the verdict colour');
      assert.ok(painted.includes(`${verdictColor}${trace.verdict}`), 'verdict painted in the verdict colour');
      assert.match(painted, /\u001b\[1m/, 'bold hop kinds and finding ids');
      assert.doesNotMatch(plain, /\u001b\[/);
      assert.equal(words(painted), words(plain));
    });
  }

  test('each hop icon takes its status colour', async () => {
    const painted = await tree(clusterTrace('list', 'shop', 'cart'), true);
    assert.ok(painted.includes('\u001b[31m✖\u001b[39m'), 'failing hop in red');
    assert.ok(painted.includes('\u001b[32m✔\u001b[39m'), 'holding hop in green');
  });
});
