// List mode's health table (`kubectl svc-trace` without SERVICE): kubectl's borderless columns,
// a NAMESPACE column only with -A, and the most important finding of each Service.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { renderList } from '../../../src/render/list.js';
import { assertGolden } from './golden.js';
import { clusterList, exampleList } from './traces.js';

const columnsOf = (line: string) => line.trim().split(/\s{2,}/);

describe('the health table: golden output', () => {
  test('one namespace of a cluster', () => {
    assertGolden('list-shop', renderList(clusterList('list', 'shop'), { allNamespaces: false, color: false }));
  });
  test('-A: every namespace, with a NAMESPACE column', () => {
    assertGolden('list-all-namespaces', renderList(clusterList('list'), { allNamespaces: true, color: false }));
  });
  test('offline: the example manifests (no endpoints to count)', async () => {
    assertGolden('list-example', renderList(await exampleList(), { allNamespaces: false, color: false }));
  });
});

describe('the health table: columns', () => {
  test('without -A: no NAMESPACE column; one row per Service, in the order given', () => {
    const lines = renderList(clusterList('list', 'shop'), { allNamespaces: false, color: false }).trimEnd().split('\n');
    assert.deepEqual(columnsOf(lines[0]!), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL', 'PORTS', 'READY', 'VERDICT', 'FINDING', 'ENTRY']);
    assert.deepEqual(
      lines.slice(1).map((line) => columnsOf(line)[0]),
      ['api', 'cart', 'checkout', 'legacy-db', 'redis', 'web'],
    );
  });

  test('with -A: NAMESPACE comes first, and a name in two namespaces has two rows', () => {
    const lines = renderList(clusterList('list'), { allNamespaces: true, color: false }).trimEnd().split('\n');
    assert.equal(columnsOf(lines[0]!)[0], 'NAMESPACE');
    const web = lines.filter((line) => columnsOf(line)[1] === 'web').map((line) => columnsOf(line)[0]);
    assert.deepEqual(web, ['shop', 'staging']);
  });

  test('a row: addresses, ports as kubectl prints them, ready/total, verdict, the worst finding', () => {
    const lines = renderList(clusterList('list', 'shop'), { allNamespaces: false, color: false }).split('\n');
    const row = (name: string) => columnsOf(lines.find((line) => line.startsWith(`${name} `))!);
    assert.deepEqual(row('checkout'), ['checkout', 'LoadBalancer', '10.96.40.21', '203.0.113.10', '443:31443/TCP', '6/7', 'degraded', 'external-traffic-local-gaps', '-']);
    assert.deepEqual(row('cart'), ['cart', 'ClusterIP', '10.96.88.3', '<none>', '80/TCP', '0/2', 'broken', 'no-ready-endpoints', '-']);
    assert.deepEqual(row('redis'), ['redis', 'ClusterIP', 'None', '<none>', '6379/TCP', '1/1', 'ok', 'headless-service', '-']);
    assert.deepEqual(row('web'), ['web', 'ClusterIP', '10.96.112.7', '<none>', '80/TCP', '2/2', 'ok', '<none>', '-']);
  });

  test('columns line up: every cell of a column starts at the header position', () => {
    const lines = renderList(clusterList('list'), { allNamespaces: true, color: false }).trimEnd().split('\n');
    const starts = [...lines[0]!.matchAll(/\S+/g)].map((match) => match.index);
    for (const line of lines.slice(1)) {
      for (const start of starts.slice(1)) assert.equal(line.slice(start! - 3, start), '   ', `a cell does not start at column ${start}: ${line}`);
    }
  });

  test('offline: READY is - (EndpointSlices exist only in a cluster), and a pending LoadBalancer is <pending>', async () => {
    const lines = renderList(await exampleList(), { allNamespaces: false, color: false }).split('\n');
    const frontend = columnsOf(lines.find((line) => line.startsWith('frontend '))!);
    assert.equal(frontend[3], '<pending>');
    assert.equal(frontend[5], '-');
  });

  test('no Service: no table at all (the command says so on stderr)', () => {
    assert.equal(renderList({ apiVersion: 'svc-trace/v1', kind: 'ServiceHealthList', items: [] }, { allNamespaces: false, color: false }), '');
  });

  test('colour paints the verdict only, without moving the columns', () => {
    const list = clusterList('list', 'shop');
    const painted = renderList(list, { allNamespaces: false, color: true });
    assert.match(painted, /\u001b\[31mbroken\u001b\[39m/);
    assert.match(painted, /\u001b\[33mdegraded\u001b\[39m/);
    assert.equal(stripVTControlCharacters(painted), renderList(list, { allNamespaces: false, color: false }));
  });
});
