// -o text and -o wide: golden files, plus the properties a reader relies on (not-ready endpoints
// first, kubectl's `+ N more`, wide shows everything, colour only when asked).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { renderText } from '../../../src/render/text.js';
import { assertGolden } from './golden.js';
import { clusterTrace, exampleTrace } from './traces.js';

const text = (trace: Parameters<typeof renderText>[0]) => renderText(trace, { wide: false, color: false });
const wide = (trace: Parameters<typeof renderText>[0]) => renderText(trace, { wide: true, color: false });
const section = (output: string, title: string) => output.split(`\n${title}:\n`)[1]!.split('\n\n')[0]!;

describe('-o text: golden output', () => {
  test('a degraded LoadBalancer: local-traffic gaps, a not-ready endpoint, a Warning event', () => {
    assertGolden('text-checkout', text(clusterTrace('list', 'shop', 'checkout')));
  });
  test('a broken Service whose pods crash-loop', () => {
    assertGolden('text-cart', text(clusterTrace('list', 'shop', 'cart')));
  });
  test('a healthy Service', () => {
    assertGolden('text-web', text(clusterTrace('healthy', 'shop', 'web')));
  });
  test('a selector that matches no pod, with the near misses', () => {
    assertGolden('text-no-pods', text(clusterTrace('no-pods', 'shop', 'web')));
  });
  test('a Service without selector and without EndpointSlice', () => {
    assertGolden('text-legacy-db', text(clusterTrace('list', 'shop', 'legacy-db')));
  });
  test('offline: the example cart, whose named targetPort no container has', async () => {
    assertGolden('text-example-cart', text(await exampleTrace('cart')));
  });
});

describe('-o wide: golden output', () => {
  test('every endpoint, every backend, zones, slice ports and routing rules', () => {
    assertGolden('wide-checkout', wide(clusterTrace('list', 'shop', 'checkout')));
  });
  test('a headless Service: the DNS names of the pods', () => {
    assertGolden('wide-redis', wide(clusterTrace('list', 'shop', 'redis')));
  });
  test('offline: a NodePort Service before the node IPs are known', async () => {
    assertGolden('wide-example-frontend-nodeport', wide(await exampleTrace('frontend-nodeport')));
  });
});

describe('-o text: what a reader relies on', () => {
  const checkout = clusterTrace('list', 'shop', 'checkout');

  test('the header names the Service, its addresses, ports, readiness and verdict', () => {
    const header = text(checkout).split('\n\n')[0]!.split('\n');
    assert.deepEqual(header, [
      'Service:  shop/checkout',
      'Type:     LoadBalancer 10.96.40.21  external: 203.0.113.10',
      'Ports:    443:31443/TCP',
      'Ready:    6/7 endpoints',
      'Verdict:  degraded (3 warnings)',
    ]);
  });

  test('the six hops appear in order, each with its status', () => {
    const hops = section(text(checkout), 'Hops')
      .split('\n')
      .filter((line) => /^ {2}\S/.test(line))
      .map((line) => line.trim().split(/\s+/).slice(0, 2).join(' '));
    assert.deepEqual(hops, ['ok client', 'ok dns', 'warn frontend', 'warn routing', 'warn endpoint', 'ok backend']);
  });

  test('not-ready endpoints come first and a long list is cut with `+ N more`', () => {
    const lines = section(text(checkout), 'Hops').split('\n');
    const endpoint = lines.findIndex((line) => line.includes(' endpoint '));
    assert.match(lines[endpoint + 1]!, /checkout-6b8f9d7c5-h6t4p on node-b {2}not ready: readiness probe of checkout failing$/);
    assert.equal(lines[endpoint + 6]!.trim(), '+ 2 more');
  });

  test('wide lists all seven endpoints and backends, and cuts nothing', () => {
    const output = wide(checkout);
    assert.equal(output.match(/ checkout-6b8f9d7c5-\w+ on node-\w zone-\w/g)?.length, 7);
    assert.equal(output.match(/port https → checkout-6b8f9d7c5-\w+ checkout:8443\/TCP/g)?.length, 7);
    assert.doesNotMatch(output, /^ +\+ \d+ more$/m, 'no detail list is cut');
  });

  test('every finding is its level, id and message, then its hint', () => {
    const findings = section(text(checkout), 'Findings').trimEnd().split('\n');
    assert.equal(findings.length, 8);
    assert.match(findings[0]!, /^ {2}warning external-traffic-local-gaps: externalTrafficPolicy is Local and 1 of 3 nodes .*: node-c$/);
    assert.match(findings[1]!, /^ {10}hint: /);
    assert.match(findings[6]!, /^ {2}info {4}nodeport-exposed: /);
  });

  test('a Service with no finding says <none>, as kubectl does', () => {
    assert.equal(section(text(clusterTrace('healthy', 'shop', 'web')), 'Findings'), '  <none>\n');
  });

  test('offline output says so, and names what it could not check', async () => {
    const output = text(await exampleTrace('cart'));
    assert.match(output, /^Service: {2}shop\/cart \(from manifests\)$/m);
    assert.match(output, /note: offline: EndpointSlices exist only in a cluster/);
    assert.doesNotMatch(output, /^Ready:/m, 'no endpoint counts without EndpointSlices');
  });

  test('colour: the verdict and statuses are painted only when asked, and the words stay the same', () => {
    const plain = renderText(checkout, { wide: false, color: false });
    const painted = renderText(checkout, { wide: false, color: true });
    assert.doesNotMatch(plain, /\u001b\[/);
    assert.match(painted, /Verdict: {2}\u001b\[33mdegraded \(3 warnings\)\u001b\[39m/);
    assert.match(painted, /\u001b\[33mwarn \u001b\[39m endpoint/);
    assert.equal(stripVTControlCharacters(painted), plain);
  });
});
