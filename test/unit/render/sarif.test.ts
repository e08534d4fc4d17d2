// -o sarif against the official SARIF 2.1.0 JSON Schema, and what GitHub code scanning reads from
// it: one rule per finding id (the catalogue's description, level and the hint), one result per
// finding at the Service — logically always, and offline at the manifest file and line.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { catalogue, type FindingId } from '../../../src/analyze/catalogue.js';
import type { Trace } from '../../../src/analyze/model.js';
import { analyze } from '../../../src/analyze/trace.js';
import { loadManifests } from '../../../src/cluster/manifests.js';
import { offlineServices, offlineSnapshot } from '../../../src/cluster/offline.js';
import { renderSarif } from '../../../src/render/sarif.js';
import { assertValidSarif, sarifErrors } from './sarif-validator.js';
import { clusterList, clusterTrace } from './traces.js';

interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version?: string; rules: Rule[] } };
    results: SarifResult[];
  }>;
}
interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  defaultConfiguration: { level: string };
  help: { text: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{
    physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } };
    logicalLocations: Array<{ name: string; fullyQualifiedName: string; kind: string }>;
  }>;
}

const sarif = (traces: Trace[], version = '0.1.0'): SarifLog => JSON.parse(renderSarif(traces, { version })) as SarifLog;
const sarifLevel = { error: 'error', warning: 'warning', info: 'note' } as const;

// examples/shop read as `-f examples/shop -n shop` reads it, from the repository root (relative paths).
async function exampleTraces(paths = ['examples/shop']): Promise<Trace[]> {
  const objects = await loadManifests(paths, Readable.from([]));
  return offlineServices(objects, { namespace: 'shop' }).map((snapshot) => analyze(snapshot));
}

// The line of `apiVersion: v1` that starts the Service `name` in a manifest file.
function serviceLine(file: string, name: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const named = lines.findIndex((line, index) => line === `  name: ${name}` && lines[index - 2] === 'kind: Service');
  assert.ok(named > 0, `${file} has a Service ${name}`);
  return named - 2; // `apiVersion:` is three lines above `name:` (index named - 3, so line named - 2)
}

describe('-o sarif validates against the SARIF 2.1.0 schema', () => {
  test('offline list of examples/shop', async () => {
    assertValidSarif(sarif(await exampleTraces()), 'svc-trace -f examples/shop -o sarif');
  });
  test('live list of every namespace, and one live trace', () => {
    assertValidSarif(sarif(clusterList('list').items), 'svc-trace -A -o sarif (list scenario)');
    assertValidSarif(sarif([clusterTrace('list', 'shop', 'checkout')]), 'svc-trace checkout -o sarif');
  });
  test('a healthy Service: no results, still a valid log with its empty results array', () => {
    const log = sarif([clusterTrace('healthy', 'shop', 'web')]);
    assertValidSarif(log, 'svc-trace web -o sarif (healthy)');
    assert.deepEqual(log.runs[0]!.results, []);
    assert.deepEqual(log.runs[0]!.tool.driver.rules, []);
  });
  test('the validator is not vacuous: a log without version or with a bad level is refused', async () => {
    const log = sarif(await exampleTraces()) as unknown as Record<string, unknown> & SarifLog;
    assert.notDeepEqual(sarifErrors({ ...log, version: undefined }), []);
    const badLevel = structuredClone(log);
    badLevel.runs[0]!.results[0]!.level = 'fatal';
    assert.notDeepEqual(sarifErrors(badLevel), []);
  });
});

describe('-o sarif: rules', () => {
  test('one rule per finding id that occurs, described from the catalogue, help = the hint', () => {
    const traces = clusterList('list').items;
    const log = sarif(traces);
    const rules = log.runs[0]!.tool.driver.rules;
    const ids = [...new Set(traces.flatMap((trace) => trace.findings.map((f) => f.id)))];
    assert.deepEqual(rules.map((rule) => rule.id).sort(), [...ids].sort());
    for (const rule of rules) {
      const entry = catalogue[rule.id as FindingId];
      assert.equal(rule.defaultConfiguration.level, sarifLevel[entry.level], `${rule.id}: default level`);
      assert.ok(entry.when.toLowerCase().startsWith(rule.shortDescription.text.replace(/\.$/, '').toLowerCase()), `${rule.id}: short description`);
      assert.match(rule.fullDescription.text, new RegExp(`at the ${entry.hop} hop`));
      const first = traces.flatMap((trace) => trace.findings).find((f) => f.id === rule.id)!;
      assert.equal(rule.help.text, first.hint, `${rule.id}: help is the hint`);
    }
    assert.equal(log.runs[0]!.tool.driver.name, 'svc-trace');
    assert.equal(log.runs[0]!.tool.driver.version, '0.1.0');
  });
});

describe('-o sarif: results', () => {
  test('one result per finding, at its rule, with its own level, message and hint', () => {
    const traces = clusterList('list').items;
    const log = sarif(traces);
    const findings = traces.flatMap((trace) => trace.findings.map((finding) => ({ trace, finding })));
    const { results, tool } = log.runs[0]!;
    assert.equal(results.length, findings.length);
    results.forEach((result, index) => {
      const { trace, finding } = findings[index]!;
      assert.equal(result.ruleId, finding.id);
      assert.equal(tool.driver.rules[result.ruleIndex]!.id, finding.id, 'ruleIndex points at the rule');
      assert.equal(result.level, sarifLevel[finding.level]);
      assert.equal(result.message.text, `Service ${trace.service.namespace}/${trace.service.name}: ${finding.message}\nhint: ${finding.hint}`);
    });
  });

  test('live: the Service is a logical location; there is no file to point at', () => {
    const log = sarif([clusterTrace('list', 'shop', 'cart')]);
    const [result] = log.runs[0]!.results;
    assert.ok(result);
    assert.deepEqual(result.locations, [{ logicalLocations: [{ name: 'cart', fullyQualifiedName: 'shop/cart', kind: 'resource' }] }]);
  });

  test('offline: the manifest file (relative, as given to -f) and the line where the Service starts', async () => {
    const log = sarif(await exampleTraces());
    const cart = log.runs[0]!.results.find((result) => result.ruleId === 'target-port-missing');
    assert.ok(cart, 'cart has target-port-missing');
    const physical = cart.locations[0]!.physicalLocation!;
    assert.equal(physical.artifactLocation.uri, 'examples/shop/cart.yaml');
    assert.equal(physical.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.deepEqual(physical.region, { startLine: serviceLine('examples/shop/cart.yaml', 'cart') });
    assert.deepEqual(cart.locations[0]!.logicalLocations, [{ name: 'cart', fullyQualifiedName: 'shop/cart', kind: 'resource' }]);
  });

  test('offline with an absolute path: a file: URI', async () => {
    const absolute = path.resolve('examples/shop');
    const log = sarif(await exampleTraces([absolute]));
    const uris = log.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation!.artifactLocation.uri);
    assert.ok(uris.length > 0);
    for (const uri of uris) assert.ok(uri.startsWith('file:///') && uri.includes('/examples/shop/'), uri);
  });

  test('offline from stdin (-f -): only the logical location', async () => {
    const text = readFileSync('examples/shop/cart.yaml', 'utf8');
    const objects = await loadManifests(['-'], Readable.from([text]));
    const log = sarif([analyze(offlineSnapshot(objects, { namespace: 'shop', name: 'cart' }))]);
    assertValidSarif(log, 'svc-trace cart -f - -o sarif');
    const [result] = log.runs[0]!.results;
    assert.equal(result!.locations[0]!.physicalLocation, undefined);
    assert.equal(result!.locations[0]!.logicalLocations[0]!.fullyQualifiedName, 'shop/cart');
  });
});
