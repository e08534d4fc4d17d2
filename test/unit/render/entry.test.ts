// An entry trace (ingress/NAME, httproute/NAME) in every output format: text and wide (golden),
// tree (the same facts in a box, each backend's own tree below), json and yaml (the same object).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { parse } from 'yaml';
import { analyzeEntry } from '../../../src/analyze/entry.js';
import { renderJson, renderYaml } from '../../../src/render/data.js';
import { renderEntryText } from '../../../src/render/entry-text.js';
import { renderEntryTree } from '../../../src/render/tree.js';
import { explainEntry } from '../../../src/explain/entry-narrative.js';
import { ingressSnapshot, routeSnapshot } from '../../support/entries.js';
import { assertGolden } from './golden.js';

const wrongPort = () => analyzeEntry(ingressSnapshot(({ ingress }) => (ingress.spec.rules![0]!.http!.paths[0]!.backend.service!.port = { number: 8080 })));
const refused = () =>
  analyzeEntry(
    routeSnapshot(({ route }) => {
      route.status!.parents![0]!.conditions![0] = { type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners', message: 'no listener admits namespace shop' };
    }),
  );

describe('entry traces: text and wide', () => {
  test('an Ingress with a wrong port: header, hop details, findings, then each backend', () => {
    assertGolden('text-ingress-wrong-port', renderEntryText(wrongPort(), { wide: false, color: false }));
  });
  test('an HTTPRoute not accepted, wide: parents, listeners, every detail', () => {
    assertGolden('wide-httproute-refused', renderEntryText(refused(), { wide: true, color: false }));
  });
});

describe('entry traces: tree, json, yaml, explain', () => {
  test('tree: the entry in a box with its hops and findings, each backend titled and drawn as a Service tree', async () => {
    const plain = await renderEntryTree(wrongPort(), { color: false, columns: 120 });
    assert.match(plain, /Ingress shop\/shop {2}broken \(1 error\)/);
    assert.match(plain, /✖ ingress +class nginx, address 203\.0\.113\.20, shop\.example\.com/);
    assert.match(plain, /ingress-backend-port-missing: Ingress shop\/shop sends to port 8080 of Service shop\/web/);
    assert.match(plain, /→ Service shop\/web port 8080 \(from shop\.example\.com \/ \(Prefix\)\): the Service has no port 8080/);
    assert.match(plain, /ClusterIP shop\/web/, 'the backend is drawn as its own trace');
    const painted = await renderEntryTree(wrongPort(), { color: true, columns: 120 });
    assert.match(painted, /\u001b\[31m/, 'a broken entry is painted red');
    assert.match(stripVTControlCharacters(painted), /Ingress shop\/shop {2}broken \(1 error\)/);
  });

  test('json and yaml are the same object', () => {
    const trace = refused();
    assert.deepEqual(parse(renderYaml(trace)), JSON.parse(renderJson(trace)));
  });

  test('svc-explain: what the route is, where it sends, what is wrong, then the Service', () => {
    const paragraphs = explainEntry(refused());
    assert.match(paragraphs[0]!, /^web is an HTTPRoute in namespace shop for shop\.example\.com, attached to Gateway infra\/public \(not accepted\)\. It is reached at 203\.0\.113\.30\.$/);
    assert.equal(paragraphs[1], 'It sends shop.example.com / (PathPrefix) to Service shop/web port 80.');
    assert.ok(paragraphs.some((p) => p.includes('(route-not-accepted)')));
    assert.ok(paragraphs.some((p) => p.startsWith('Service shop/web (port 80): web is a ClusterIP Service')));
  });
});
