// Pure: a ProbeReport in the snapshot → the backend hop and the findings, in every output format
// (text, wide, tree, json/yaml against the schema) and in svc-explain's story. The report is shaped
// as src/probe/run.ts makes it (outcomes per pod and port, the kubelet's words in `message`).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { BackendHop, Trace } from '../../../src/analyze/model.js';
import { analyze } from '../../../src/analyze/trace.js';
import { explain } from '../../../src/explain/narrative.js';
import type { ProbeReport } from '../../../src/probe/model.js';
import { renderJson, renderYaml } from '../../../src/render/data.js';
import { renderText } from '../../../src/render/text.js';
import { renderTree } from '../../../src/render/tree.js';
import { loadFixture, snapshotOf } from '../../support/snapshot.js';
import { assertValid } from '../render/schema-validator.js';

const [podA, podB] = ['web-7d9c5b6f4d-7b2nj', 'web-7d9c5b6f4d-nfh7v'];
const refusal = `error forwarding port 8080 to pod ${podA}, uid : failed to connect to localhost:8080 inside namespace "${podA}": dial tcp4 127.0.0.1:8080: connect: connection refused`;

function traceWith(probe: ProbeReport, port?: string): Trace {
  return analyze({ ...snapshotOf(loadFixture('healthy-web')), probe }, port === undefined ? {} : { port });
}
const report = (probes: ProbeReport['probes'], extra: Partial<ProbeReport> = {}): ProbeReport => ({ timeoutMs: 3000, limit: 10, probes, notProbed: [], skipped: [], ...extra });
const backendOf = (trace: Trace) => trace.hops.find((h) => h.kind === 'backend') as BackendHop;

const mixed = report([
  { pod: podA, servicePort: 'http', port: 8080, outcome: 'refused', message: refusal },
  { pod: podB, servicePort: 'http', port: 8080, outcome: 'accepted', milliseconds: 4 },
]);

describe('--probe in the trace', () => {
  test('some pods refuse: port-not-listening (warning) names them; the backend hop warns and sums up', () => {
    const trace = traceWith(mixed, 'http');
    const backend = backendOf(trace);
    assert.equal(backend.status, 'warn');
    assert.equal(backend.summary, '2 pod(s), container port 8080; probe: 1/2 accepted');
    assert.deepEqual(backend.backends.map((b) => [b.pod, b.probe]).sort(), [
      [podA, { outcome: 'refused', port: 8080, message: refusal }],
      [podB, { outcome: 'accepted', port: 8080, milliseconds: 4 }],
    ]);
    const finding = trace.findings.find((f) => f.id === 'port-not-listening')!;
    assert.equal(finding.level, 'warning');
    assert.deepEqual(finding.objects.map((o) => `${o.kind}/${o.name}`), ['Service/web', `Pod/${podA}`]);
    assert.equal(trace.verdict, 'degraded');
  });

  test('every pod refuses: an error, the verdict broken', () => {
    const trace = traceWith(report([
      { pod: podA, servicePort: 'http', port: 8080, outcome: 'refused', message: refusal },
      { pod: podB, servicePort: 'http', port: 8080, outcome: 'refused', message: refusal },
    ]), 'http');
    assert.equal(trace.findings.find((f) => f.id === 'port-not-listening')!.level, 'error');
    assert.equal(backendOf(trace).status, 'fail');
    assert.equal(trace.verdict, 'broken');
  });

  test('everything accepted: no finding, the verdict as without --probe', () => {
    const accepted = report([
      { pod: podA, servicePort: 'http', port: 8080, outcome: 'accepted', milliseconds: 3 },
      { pod: podB, servicePort: 'http', port: 8080, outcome: 'accepted', milliseconds: 5 },
    ]);
    const trace = traceWith(accepted, 'http');
    const without = analyze(snapshotOf(loadFixture('healthy-web')), { port: 'http' });
    assert.deepEqual(trace.findings, without.findings);
    assert.equal(trace.verdict, without.verdict);
  });

  test('a timeout is a warning; a pod that went away is a note, not a finding; the limit and UDP skips are notes', () => {
    const trace = traceWith(report(
      [
        { pod: podA, servicePort: 'http', port: 8080, outcome: 'timeout', message: 'no answer within 3000ms' },
        { pod: podB, servicePort: 'http', port: 8080, outcome: 'failed', message: `the API server answered 404: pods "${podB}" not found` },
      ],
      { notProbed: ['web-7d9c5b6f4d-zzzzz'], skipped: ['port dns (53/UDP) not probed: port-forward carries TCP only'] },
    ), 'http');
    const timeout = trace.findings.find((f) => f.id === 'port-probe-timeout')!;
    assert.equal(timeout.level, 'warning');
    assert.equal(timeout.message, `1 pod(s) did not answer a connection on port http within 3s: ${podA}`);
    assert.equal(trace.findings.some((f) => f.id === 'port-not-listening'), false);
    assert.deepEqual(backendOf(trace).notes, [
      'port dns (53/UDP) not probed: port-forward carries TCP only',
      `probe of pod ${podB} port 8080 failed: the API server answered 404: pods "${podB}" not found`,
      'probe: 1 more ready pod(s) not probed (--probe-limit 10)',
    ]);
  });
});

describe('--probe in every output format', () => {
  test('text: the probed rows under the backend hop, the refused one first; wide: every row', () => {
    const text = renderText(traceWith(mixed), { wide: false, color: false });
    const lines = text.split('\n').filter((line) => line.includes('probe:'));
    assert.deepEqual(lines.map((l) => l.trim()), [
      'warn  backend   2 pod(s), container port 8080, 9090; probe: 1/2 accepted',
      `port http → ${podA} web:8080/TCP  probe: refused`,
      `port http → ${podB} web:8080/TCP  probe: accepted 4ms`,
    ]);
    const wide = renderText(traceWith(mixed), { wide: true, color: false });
    assert.match(wide, new RegExp(`port metrics → ${podA} web:9090/TCP\\n`), 'wide shows the unprobed rows too');
  });

  test('tree: the same lines in the box', async () => {
    const tree = await renderTree(traceWith(mixed), { color: false, columns: 120 });
    assert.match(tree, new RegExp(`port http → ${podA} web:8080/TCP {2}probe: refused`));
    assert.match(tree, new RegExp(`port http → ${podB} web:8080/TCP {2}probe: accepted 4ms`));
    assert.match(tree, /warning\s+port-not-listening: 1 of 2 probed pods refused a connection on port http/);
  });

  test('json and yaml: the probe on each backend row, valid against the schema', () => {
    const trace = traceWith(mixed);
    const json = JSON.parse(renderJson(trace)) as Trace;
    assertValid('Trace', json, 'a trace with --probe');
    assert.deepEqual((json.hops[5] as BackendHop).backends.find((b) => b.pod === podA && b.servicePort === 'http')!.probe, { outcome: 'refused', port: 8080, message: refusal });
    assert.deepEqual(parse(renderYaml(trace)), json);
  });

  test('svc-explain tells what the probe found, pod by pod', () => {
    const story = explain(traceWith(mixed)).join('\n');
    assert.match(
      story,
      new RegExp(`The probe opened one connection to each of 2 ready pods through the API server's port-forward and sent nothing: accepted by ${podB} \\(port http → 8080, 4ms\\); refused by ${podA} \\(port http → 8080\\)\\.`),
    );
    assert.match(story, /- 1 of 2 probed pods refused a connection on port http/);
  });
});
