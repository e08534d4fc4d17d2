// The command line against the real control plane: exit codes and messages of the failures a user
// meets (no such Service or namespace, cluster down, credentials rejected, a bad flag), and every
// output format of one healthy Service.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import type { Trace } from '../../src/analyze/model.js';
import { createNamespace, describeOnCluster, dropRepairWarnings, eventually, kubectl, run, waitForPods } from './support/cluster.js';

const namespace = `e2e-cli-${randomBytes(3).toString('hex')}`;
const manifests = path.resolve('test/e2e/scenarios/healthy-clusterip/manifests.yaml');

interface AdminConfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
}

describeOnCluster('the command line on a real control plane', {}, (cluster) => {
  const directory = mkdtempSync(path.join(tmpdir(), 'svc-trace-cli-'));
  const trace = (args: string[], env = cluster.env) => run(cluster, 'kubectl', ['svc-trace', ...args], { env });
  // A kubeconfig like the admin's, with another server and a bearer token.
  const kubeconfigWith = async (name: string, change: { server?: string; token: string }): Promise<NodeJS.ProcessEnv> => {
    const admin = JSON.parse(await kubectl(cluster, ['config', 'view', '--raw', '--minify', '--flatten', '-o', 'json'])) as AdminConfig;
    const { server, 'certificate-authority-data': ca } = admin.clusters[0]!.cluster;
    const file = path.join(directory, `${name}.json`);
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server: change.server ?? server, 'certificate-authority-data': ca } }],
      users: [{ name, user: { token: change.token } }],
      contexts: [{ name, context: { cluster: name, user: name, namespace } }],
      'current-context': name,
    };
    writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
    return { ...cluster.env, KUBECONFIG: file };
  };

  before(async () => {
    await createNamespace(cluster, namespace);
    await kubectl(cluster, ['apply', '-n', namespace, '-f', manifests]);
    await waitForPods(cluster, namespace);
    await eventually(
      async () => {
        await dropRepairWarnings(cluster, [namespace]);
        return trace(['web', '-n', namespace, '-o', 'json']);
      },
      (result) => result.code === 0 && (JSON.parse(result.stdout) as Trace).verdict === 'ok' && (JSON.parse(result.stdout) as Trace).endpoints?.ready === 2,
    );
  });

  after(async () => {
    rmSync(directory, { recursive: true, force: true });
    await run(cluster, 'kubectl', ['delete', 'namespace', namespace, '--wait=false']);
  });

  test('a Service that does not exist: exit 4 and the near name', async () => {
    const result = await trace(['wbe', '-n', namespace]);
    assert.equal(result.code, 4);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^error: service "wbe" not found in namespace "${namespace}"\nhint: did you mean web\\?`));
  });

  test('a namespace that does not exist: exit 4', async () => {
    const result = await trace(['web', '-n', `${namespace}-gone`]);
    assert.equal(result.code, 4);
    assert.match(result.stderr, new RegExp(`namespace "${namespace}-gone" not found`));
  });

  test('a Service in another namespace: the hint names the namespace that has it', async () => {
    const result = await trace(['web', '-n', 'kube-public']);
    assert.equal(result.code, 4);
    assert.match(result.stderr, new RegExp(`a Service web exists in namespace .*${namespace}`));
  });

  test('a cluster that is down: exit 3, one sentence, no stack trace', async () => {
    // Port 1 of the loopback address: nothing listens there.
    const env = await kubeconfigWith('down', { server: 'https://127.0.0.1:1', token: 'unused' });
    const result = await trace(['web'], env);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /^error: cannot reach the cluster of context "down" at https:\/\/127\.0\.0\.1:1/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  test('credentials the API server rejects (401): exit 3, and the token is not printed', async () => {
    const token = `not-a-token-${randomBytes(6).toString('hex')}`;
    const env = await kubeconfigWith('rejected', { token });
    const result = await trace(['web'], env);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /the cluster rejected the credentials of context "rejected"/);
    const debug = await trace(['web', '--debug'], env);
    assert.equal(debug.code, 3);
    assert.match(debug.stderr, / 401 /, 'the 401 shows in --debug');
    assert.ok(!debug.stderr.includes(token), 'the token is never printed, not even with --debug');
  });

  test('a bad flag value: exit 2 before any request', async () => {
    const result = await trace(['web', '-n', namespace, '--from', 'service/web', '--debug']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--from service\/web: "service" is not a kind of client this tool knows/);
    assert.doesNotMatch(result.stderr, /debug: GET/);
  });

  test('every output format tells the same verdict', async () => {
    const json = JSON.parse((await trace(['web', '-n', namespace, '-o', 'json'])).stdout) as Trace;
    const yaml = parse((await trace(['web', '-n', namespace, '-o', 'yaml'])).stdout) as Trace;
    assert.deepEqual(yaml, json, '-o yaml is -o json in YAML');
    const wide = await trace(['web', '-n', namespace, '-o', 'wide']);
    assert.equal(wide.code, 0);
    for (const name of ['web', `web.${namespace}`, `web.${namespace}.svc`, `web.${namespace}.svc.cluster.local`]) {
      assert.match(wide.stdout, new RegExp(`${name.replaceAll('.', '\\.')} → ${json.service.clusterIP!.replaceAll('.', '\\.')}`));
    }
    const tree = await trace(['web', '-n', namespace, '-o', 'tree']);
    assert.equal(tree.code, 0);
    assert.match(tree.stdout, new RegExp(`ClusterIP ${namespace}/web\\s+ok`));
    const bad = await trace(['web', '-n', namespace, '-o', 'table']);
    assert.equal(bad.code, 2);
  });

  test('`kubectl svc-trace explain` is `kubectl svc-explain`', async () => {
    const plugin = await run(cluster, 'kubectl', ['svc-explain', 'web', '-n', namespace]);
    const subcommand = await trace(['explain', 'web', '-n', namespace]);
    assert.equal(plugin.code, 0);
    assert.equal(subcommand.stdout, plugin.stdout);
    assert.match(plugin.stdout, /^web is a ClusterIP Service in namespace /);
    const json = await run(cluster, 'kubectl', ['svc-explain', 'web', '-n', namespace, '-o', 'json']);
    assert.equal(json.code, 0);
    const explanation = JSON.parse(json.stdout) as { kind: string; verdict: string; paragraphs: unknown[] };
    assert.equal(explanation.kind, 'Explanation');
    assert.equal(explanation.verdict, 'ok');
    assert.ok(explanation.paragraphs.length > 0);
  });
});
