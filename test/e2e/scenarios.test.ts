// Every scenario under test/e2e/scenarios/ on the real control plane: its manifests applied with the
// real kubectl in a namespace of its own, the controllers left to settle, any status a real cluster
// would write patched in, then `kubectl svc-trace` / `kubectl svc-explain` run as a user runs them.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import type { Trace } from '../../src/analyze/model.js';
import { eventually, kubectl, run, startCluster, type Cluster, type Run } from './support/cluster.js';

interface Scenario {
  description: string;
  service: string; // the Service to trace
  args?: string[]; // extra trace arguments, e.g. [--from, pod/client]
  waitForPods?: boolean; // wait until every pod is Ready before `after` (default true)
  after?: string; // shell run once the pods are up, with $NS set: status a real cluster would write
  expect: {
    verdict: Trace['verdict'];
    exitCode: number;
    problems: string[]; // the exact set of error and warning finding ids
    info?: string[]; // info finding ids that must be present
    text?: string[]; // phrases the text output must contain
    explain?: string[]; // phrases svc-explain must say
  };
}

const root = path.resolve('test/e2e/scenarios');
const names = readdirSync(root).filter((name) => !name.startsWith('.')).sort();
const runId = randomBytes(3).toString('hex');
const namespaceOf = (name: string) => `e2e-${name}-${runId}`.slice(0, 63);
const load = (name: string): Scenario => parse(readFileSync(path.join(root, name, 'scenario.yaml'), 'utf8')) as Scenario;
const problemsOf = (trace: Trace) => trace.findings.filter((f) => f.level !== 'info').map((f) => f.id).sort();

describe('scenarios on a real control plane', () => {
  const started = startCluster();
  if ('skip' in started) {
    test('e2e scenarios', { skip: started.skip }, () => {});
    return;
  }
  const cluster: Cluster = started;

  before(async () => {
    // Apply everything first, so that the controllers work on all scenarios at once.
    await Promise.all(
      names.map(async (name) => {
        const namespace = namespaceOf(name);
        await kubectl(cluster, ['create', 'namespace', namespace]);
        await kubectl(cluster, ['apply', '-n', namespace, '-f', path.join(root, name, 'manifests.yaml')]);
      }),
    );
    for (const name of names) {
      const scenario = load(name);
      const namespace = namespaceOf(name);
      if (scenario.waitForPods !== false) {
        await eventually(
          () => run(cluster, 'kubectl', ['wait', '--for=condition=Ready', 'pods', '--all', '-n', namespace, '--timeout=60s']),
          (result) => result.code === 0,
          90,
        );
      }
      if (scenario.after) {
        const result = await run(cluster, 'bash', ['-euo', 'pipefail', '-c', scenario.after], { env: { ...cluster.env, NS: namespace } });
        assert.equal(result.code, 0, `${name}: after script failed: ${result.stderr}`);
      }
    }
  });

  after(async () => {
    await run(cluster, 'kubectl', ['delete', 'namespace', '--wait=false', ...names.map(namespaceOf)]);
  });

  for (const name of names) {
    const scenario = load(name);
    test(`${name}: ${scenario.description}`, async () => {
      const namespace = namespaceOf(name);
      const traceArgs = ['svc-trace', scenario.service, '-n', namespace, ...(scenario.args ?? [])];
      const expected = [...scenario.expect.problems].sort();
      // Controllers settle in their own time: trace until the expected state shows, then judge it.
      const json = await eventually(
        () => run(cluster, 'kubectl', [...traceArgs, '-o', 'json']),
        (result) => {
          try {
            const trace = JSON.parse(result.stdout) as Trace;
            return trace.verdict === scenario.expect.verdict && JSON.stringify(problemsOf(trace)) === JSON.stringify(expected);
          } catch {
            return false;
          }
        },
      );
      assert.equal(json.stderr, '', 'stderr carries nothing on success');
      const trace = JSON.parse(json.stdout) as Trace;
      assert.deepEqual(problemsOf(trace), expected, `finding ids of ${name}`);
      assert.equal(trace.verdict, scenario.expect.verdict);
      assert.equal(json.code, scenario.expect.exitCode, 'exit code');
      for (const id of scenario.expect.info ?? []) {
        assert.ok(trace.findings.some((f) => f.id === id && f.level === 'info'), `info finding ${id} expected`);
      }

      const text: Run = await run(cluster, 'kubectl', traceArgs);
      assert.equal(text.code, scenario.expect.exitCode, 'exit code of the text output');
      assert.match(text.stdout, new RegExp(`Verdict:\\s+${scenario.expect.verdict}`));
      for (const phrase of scenario.expect.text ?? []) assert.ok(text.stdout.includes(phrase), `text output should say "${phrase}":\n${text.stdout}`);

      const explain = await run(cluster, 'kubectl', ['svc-explain', scenario.service, '-n', namespace, ...(scenario.args ?? [])]);
      assert.equal(explain.code, scenario.expect.exitCode, 'exit code of svc-explain');
      for (const phrase of scenario.expect.explain ?? []) assert.ok(explain.stdout.includes(phrase), `svc-explain should say "${phrase}":\n${explain.stdout}`);
    });
  }
});
