// The published JSON Schemas (schema/*.schema.json) against the model: the finding ids are the
// catalogue's, every trace the analysis makes validates, and a renamed or stray field does not.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from '../../../src/analyze/catalogue.js';
import type { Trace } from '../../../src/analyze/model.js';
import { assertValid, listSchema, schemaErrors, traceSchema } from './schema-validator.js';
import { clusterList, clusterTrace, exampleList, exampleTrace } from './traces.js';

interface Definitions {
  $defs: {
    finding: { properties: { id: { enum: string[] }; level: { enum: string[] }; hop: { $ref: string } } };
    hopKind: { enum: string[] };
  };
}
const definitions = (traceSchema as unknown as Definitions).$defs;
const copy = <T>(value: T): T => structuredClone(value);

describe('schema/trace.schema.json and the finding catalogue', () => {
  test('the finding id enum is exactly the catalogue keys', () => {
    assert.deepEqual([...definitions.finding.properties.id.enum].sort(), Object.keys(catalogue).sort());
    assert.equal(new Set(definitions.finding.properties.id.enum).size, definitions.finding.properties.id.enum.length, 'no id twice');
  });

  test("every catalogue entry's level and hop are values the schema allows", () => {
    for (const [id, entry] of Object.entries(catalogue)) {
      assert.ok(definitions.finding.properties.level.enum.includes(entry.level), `${id}: level ${entry.level}`);
      assert.ok(definitions.hopKind.enum.includes(entry.hop), `${id}: hop ${entry.hop}`);
    }
  });
});

describe('every trace the analysis makes validates', () => {
  test('cluster scenarios: each Service alone, and the lists', () => {
    for (const scenario of ['list', 'healthy', 'not-ready', 'no-pods']) {
      const list = clusterList(scenario);
      assertValid('ServiceHealthList', list, `list of scenario ${scenario}`);
      for (const trace of list.items) assertValid('Trace', trace, `${scenario}: ${trace.service.namespace}/${trace.service.name}`);
    }
  });

  test('--port: one Service port, and a port the Service does not have', () => {
    assertValid('Trace', clusterTrace('list', 'shop', 'checkout', { port: 'https' }));
    const missing = clusterTrace('list', 'shop', 'checkout', { port: 'grpc' });
    assert.deepEqual(missing.findings.map((f) => f.id).slice(0, 1), ['port-not-found']);
    assertValid('Trace', missing);
  });

  test('offline: the example manifests', async () => {
    assertValid('ServiceHealthList', await exampleList());
    for (const name of ['api', 'cart', 'frontend', 'frontend-nodeport', 'redis']) assertValid('Trace', await exampleTrace(name), name);
  });
});

describe('the schemas catch a changed contract', () => {
  const trace = clusterTrace('list', 'shop', 'checkout');

  const broken: Array<[string, (t: Trace & Record<string, unknown>) => void]> = [
    ['a renamed top-level field', (t) => { t.status = t.verdict; delete (t as Partial<Trace>).verdict; }],
    ['an unknown verdict', (t) => { (t as { verdict: string }).verdict = 'fine'; }],
    ['a renamed service field', (t) => { const s = t.service as unknown as Record<string, unknown>; s.clusterIp = s.clusterIP; delete s.clusterIP; }],
    ['hops out of order', (t) => { t.hops.reverse(); }],
    ['a missing hop', (t) => { t.hops.pop(); }],
    ['a renamed field of the endpoint hop', (t) => { const h = t.hops[4] as unknown as Record<string, unknown>; h.rows = h.endpoints; delete h.endpoints; }],
    ['a field of another hop kind', (t) => { (t.hops[3] as unknown as Record<string, unknown>).endpoints = []; }],
    ['a renamed endpoint row field', (t) => { const row = (t.hops[4] as unknown as { endpoints: Array<Record<string, unknown>> }).endpoints[0]!; row.isReady = row.ready; delete row.ready; }],
    ['an unknown network policy state', (t) => { (t.hops[5] as unknown as { backends: Array<{ networkPolicy: string }> }).backends[0]!.networkPolicy = 'blocked'; }],
    ['a finding id outside the catalogue', (t) => { (t.findings[0] as { id: string }).id = 'endpoint-not-ready'; }],
    ['a finding without hint', (t) => { delete (t.findings[0] as Partial<Trace['findings'][number]>).hint; }],
    ['a finding with a stray field', (t) => { (t.findings[0] as unknown as Record<string, unknown>).severity = 'high'; }],
    ['endpoint counts as a string', (t) => { (t as unknown as Record<string, unknown>).endpoints = '6/7'; }],
    ['another apiVersion', (t) => { (t as { apiVersion: string }).apiVersion = 'svc-trace/v2'; }],
  ];
  for (const [name, change] of broken) {
    test(`Trace: ${name} is rejected`, () => {
      const changed = copy(trace) as Trace & Record<string, unknown>;
      change(changed);
      assert.notDeepEqual(schemaErrors('Trace', changed), []);
    });
  }

  test('ServiceHealthList: items must be Traces, and the list is closed', () => {
    const list = clusterList('list', 'shop');
    assertValid('ServiceHealthList', list);
    const badItem = copy(list);
    delete (badItem.items[0] as Partial<Trace>).hops;
    assert.notDeepEqual(schemaErrors('ServiceHealthList', badItem), []);
    assert.notDeepEqual(schemaErrors('ServiceHealthList', { ...copy(list), metadata: {} }), []);
    assert.notDeepEqual(schemaErrors('ServiceHealthList', { ...copy(list), kind: 'List' }), []);
    assert.equal(listSchema.$id, 'urn:svc-trace:schema:v1:service-health-list');
  });
});
