// -o json and -o yaml: the trace model as it is, and YAML that reads back to the same object as
// the JSON (so that scripts may use either).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { ServiceHealthList, Trace } from '../../../src/analyze/model.js';
import { renderJson, renderYaml } from '../../../src/render/data.js';
import { clusterList, clusterTrace, exampleList, exampleTrace } from './traces.js';

async function outputs(): Promise<Array<[string, Trace | ServiceHealthList]>> {
  return [
    ['checkout (cluster)', clusterTrace('list', 'shop', 'checkout')],
    ['redis (headless)', clusterTrace('list', 'shop', 'redis')],
    ['web with no matching pod', clusterTrace('no-pods', 'shop', 'web')],
    ['example cart (manifests, endpoints null)', await exampleTrace('cart')],
    ['list of every namespace', clusterList('list')],
    ['example list', await exampleList()],
  ];
}

describe('-o json / -o yaml', () => {
  test('yaml reads back to the same object as json, for traces and lists', async () => {
    for (const [name, value] of await outputs()) {
      assert.deepEqual(parse(renderYaml(value)), JSON.parse(renderJson(value)), name);
    }
  });

  test('json is the model itself, indented, one trailing newline', async () => {
    const trace = await exampleTrace('cart');
    const json = renderJson(trace);
    assert.deepEqual(JSON.parse(json), trace);
    assert.ok(json.startsWith('{\n  "apiVersion": "svc-trace/v1",\n  "kind": "Trace",'));
    assert.ok(json.endsWith('}\n') && !json.endsWith('\n\n'));
  });

  test('yaml starts with apiVersion and kind, keeps null endpoints, and does not fold long messages', async () => {
    const yaml = renderYaml(clusterTrace('list', 'shop', 'checkout'));
    assert.ok(yaml.startsWith('apiVersion: svc-trace/v1\nkind: Trace\n'));
    const event = yaml.split('\n').find((line) => line.includes('message:') && line.includes('1 Warning event(s)'));
    assert.match(event ?? '', /please apply your changes to the latest version and try again['"]?$/, 'a long message stays on one line');
    assert.match(renderYaml(await exampleTrace('cart')), /^endpoints: null$/m);
  });
});
