// svc-trace with a read-only identity on the real control plane (README, Read-only): a ServiceAccount that may
// only get/list/watch Services, EndpointSlices and Pods. The trace still works; what it could not
// read (nodes, networkpolicies, events, namespaces) becomes a note; and it only ever sends GETs.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { ServiceHealthList, Trace } from '../../src/analyze/model.js';
import { createNamespace, describeOnCluster, eventually, kubectl, run, serviceAccountKubeconfig, waitForPods } from './support/cluster.js';

const runId = randomBytes(3).toString('hex');
const namespace = `e2e-readonly-${runId}`;
const account = 'svc-trace-reader';
const role = `e2e-svc-trace-reader-${runId}`;
// A NodePort Service over two pods, with a NetworkPolicy: every secondary lookup matters to it.
const manifests = path.resolve('test/e2e/scenarios/nodeport/manifests.yaml');

const readOnlyRole = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: role },
  rules: [
    { apiGroups: [''], resources: ['services', 'pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  ],
};

const binding = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: role },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
};

describeOnCluster('a read-only identity on a real control plane', {}, (cluster) => {
  const directory = mkdtempSync(path.join(tmpdir(), 'svc-trace-readonly-'));
  const kubeconfig = path.join(directory, 'kubeconfig.json');
  let token = '';
  // The reader's environment: same PATH (plugin, kubectl), its own kubeconfig.
  const reader = () => ({ ...cluster.env, KUBECONFIG: kubeconfig });

  before(async () => {
    await createNamespace(cluster, namespace);
    await kubectl(cluster, ['apply', '-n', namespace, '-f', manifests]);
    await kubectl(cluster, ['create', 'serviceaccount', account, '-n', namespace]);
    await kubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [readOnlyRole, binding] }));
    token = await serviceAccountKubeconfig(cluster, namespace, account, kubeconfig);
    await waitForPods(cluster, namespace);
  });

  after(async () => {
    rmSync(directory, { recursive: true, force: true });
    await run(cluster, 'kubectl', ['delete', 'clusterrolebinding,clusterrole', role, '--ignore-not-found']);
    await run(cluster, 'kubectl', ['delete', 'namespace', namespace, '--wait=false']);
  });

  test('the identity really is read-only: kubectl is refused nodes and networkpolicies', async () => {
    const nodes = await run(cluster, 'kubectl', ['get', 'nodes'], { env: reader() });
    assert.notEqual(nodes.code, 0);
    assert.match(nodes.stderr, /forbidden/);
    const policies = await run(cluster, 'kubectl', ['get', 'networkpolicies'], { env: reader() });
    assert.match(policies.stderr, /forbidden/);
    const canCreate = await run(cluster, 'kubectl', ['auth', 'can-i', 'create', 'services'], { env: reader() });
    assert.equal(canCreate.stdout.trim(), 'no');
  });

  test('trace works and says what it could not read', async () => {
    // The reader has the context's namespace: no -n, as a user of that kubeconfig would type it.
    const result = await eventually(
      () => run(cluster, 'kubectl', ['svc-trace', 'web', '-o', 'json'], { env: reader() }),
      (r) => r.code === 0 && (JSON.parse(r.stdout) as Trace).endpoints?.ready === 2,
    );
    assert.equal(result.code, 0, `exit code from the verdict (ok): ${result.stderr}`);
    assert.equal(result.stderr, '');
    const trace = JSON.parse(result.stdout) as Trace;
    assert.equal(trace.service.namespace, namespace);
    assert.equal(trace.verdict, 'ok');
    assert.deepEqual(trace.endpoints, { ready: 2, total: 2 });
    const notes = (kind: string) => trace.hops.find((hop) => hop.kind === kind)!.notes.join('\n');
    assert.match(notes('frontend'), /nodes: forbidden/, 'the node IPs of the NodePort could not be read');
    assert.match(notes('frontend'), /events: forbidden/);
    assert.match(notes('backend'), /networkpolicies: forbidden/);
    const frontend = trace.hops.find((hop) => hop.kind === 'frontend');
    assert.ok(frontend?.kind === 'frontend' && frontend.entries.some((e) => e.kind === 'NodePort' && e.address === '<node-ip>'), 'NodePort without node IPs');
    // Without NetworkPolicies it cannot tell that only app=frontend is admitted; it must not guess.
    assert.ok(!trace.findings.some((f) => f.id.startsWith('network-policy')), 'no NetworkPolicy finding without NetworkPolicies');
    assert.ok(trace.findings.some((f) => f.id === 'nodeport-exposed'));

    const text = await run(cluster, 'kubectl', ['svc-trace', 'web'], { env: reader() });
    assert.equal(text.code, 0);
    assert.match(text.stdout, /networkpolicies: forbidden/);
    assert.match(text.stdout, /nodes: forbidden/);
  });

  test('--debug shows only GET requests, and never the token', async () => {
    const result = await run(cluster, 'kubectl', ['svc-trace', 'web', '--debug', '-o', 'json'], { env: reader() });
    assert.equal(result.code, 0, result.stderr);
    const requests = result.stderr.split('\n').filter((line) => /^debug: [A-Z]+ \//.test(line));
    assert.ok(requests.length >= 4, `requests logged:\n${result.stderr}`);
    for (const line of requests) assert.match(line, /^debug: GET \//, `only GET requests: ${line}`);
    assert.ok(requests.some((line) => /GET \/api\/v1\/nodes.* 403/.test(line)), `the forbidden nodes list shows as a 403:\n${result.stderr}`);
    assert.ok(!result.stderr.includes(token) && !result.stdout.includes(token), 'the token is never printed');
  });

  test('svc-explain and list mode work with the same identity', async () => {
    const explain = await run(cluster, 'kubectl', ['svc-explain', 'web'], { env: reader() });
    assert.equal(explain.code, 0, explain.stderr);
    assert.match(explain.stdout, /2 endpoints back it, 2 ready/);

    const list = await run(cluster, 'kubectl', ['svc-trace', '-o', 'json'], { env: reader() });
    assert.equal(list.code, 0, list.stderr);
    const items = (JSON.parse(list.stdout) as ServiceHealthList).items;
    assert.deepEqual(items.map((item) => [item.service.name, item.verdict]), [['web', 'ok']]);

    // -A needs to list Services of every namespace: granted by the ClusterRole, so it works too.
    const all = await run(cluster, 'kubectl', ['svc-trace', '-A', '-o', 'json'], { env: reader() });
    assert.equal(all.code, 0, all.stderr);
    assert.ok((JSON.parse(all.stdout) as ServiceHealthList).items.some((item) => item.service.namespace === namespace));
  });
});
