// Clients from anywhere and the cluster DNS, on the real control plane: a client in another
// namespace admitted (or not) by a namespaceSelector through its namespace's real labels, its DNS
// search path, its own egress policy blocking DNS, and a kube-system/kube-dns whose pods are not
// ready. The test cluster has no cluster DNS: this file installs one in kube-system (a Service and
// a Deployment, as kubeadm names them) and removes it afterwards, so the other files see none.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Trace } from '../../src/analyze/model.js';
import { createNamespace, describeOnCluster, eventually, kubectl, parseJson, run, says, waitForPods } from './support/cluster.js';

const runId = randomBytes(3).toString('hex');
const server = `e2e-clients-${runId}`;
const admitted = `e2e-clients-in-${runId}`; // labelled e2e.svc-trace.io/entry=true
const denied = `e2e-clients-out-${runId}`; // no such label
const manifest = (name: string) => path.resolve('test/e2e/clients', name);

const ids = (trace: Trace | undefined) => (trace?.findings ?? []).filter((f) => f.level !== 'info').map((f) => f.id).sort();

describeOnCluster('clients from anywhere, and the cluster DNS, on a real control plane', {}, (cluster) => {
  let ownDns = false; // true once this file installed kube-system/kube-dns (and so must remove it)
  const trace = (...args: string[]) => run(cluster, 'kubectl', ['svc-trace', 'web', '-n', server, ...args]);
  // Controllers settle in their own time: trace until the wanted findings show.
  const traceUntil = (args: string[], wanted: string[]) =>
    eventually(() => trace(...args, '-o', 'json'), (result) => JSON.stringify(ids(parseJson<Trace>(result))) === JSON.stringify([...wanted].sort()));

  before(async () => {
    await Promise.all([server, admitted, denied].map((namespace) => createNamespace(cluster, namespace)));
    await kubectl(cluster, ['label', 'namespace', admitted, 'e2e.svc-trace.io/entry=true']);
    await Promise.all([
      kubectl(cluster, ['apply', '-n', server, '-f', manifest('server.yaml')]),
      ...[admitted, denied].map((namespace) => kubectl(cluster, ['apply', '-n', namespace, '-f', manifest('client.yaml')])),
    ]);
    await Promise.all([server, admitted, denied].map((namespace) => waitForPods(cluster, namespace)));
  });

  after(async () => {
    if (ownDns) await run(cluster, 'kubectl', ['delete', '-n', 'kube-system', '--wait=false', '-f', manifest('kube-dns.yaml')]);
    await run(cluster, 'kubectl', ['delete', 'namespace', '--wait=false', server, admitted, denied]);
  });

  test('without a kube-dns Service: a note on the dns hop, no finding', async () => {
    const result = await trace();
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(says(result.stdout, 'note: no Service kube-system/kube-dns: the cluster DNS was not checked'), result.stdout);
    const routing = parseJson<Trace>(await trace('-o', 'json'))!.hops.find((hop) => hop.kind === 'routing');
    assert.ok(routing && 'rules' in routing && routing.rules.some((rule) => rule.startsWith('no kube-proxy DaemonSet in kube-system')), JSON.stringify(routing));
  });

  test('a pod in a namespace the namespaceSelector admits by its real labels: ok, and the short name does not resolve there', async () => {
    const result = await traceUntil(['--from', `${admitted}/pod/client`], []);
    assert.equal(result.code, 0, result.stdout);
    const output = parseJson<Trace>(result)!;
    assert.equal(output.verdict, 'ok');
    const backend = output.hops.find((hop) => hop.kind === 'backend');
    assert.ok(backend && 'backends' in backend && backend.backends.every((row) => row.networkPolicy === 'allowed'), JSON.stringify(backend));
    const text = await trace('--from', `${admitted}/pod/client`);
    assert.ok(says(text.stdout, `client pod ${admitted}/client`), text.stdout);
    assert.ok(says(text.stdout, `the short name web does not resolve from namespace ${admitted}`), text.stdout);
    assert.ok(says(text.stdout, `use web.${server}`), text.stdout);
  });

  test('a pod in a namespace without the label: network-policy-blocks, exit 1', async () => {
    const result = await traceUntil(['--from', `${denied}/pod/client`], ['network-policy-blocks']);
    assert.equal(result.code, 1);
    assert.match(parseJson<Trace>(result)!.findings[0]!.message, new RegExp(`no rule admits pod client in namespace ${denied}`));
  });

  test('--from-namespace: a generic pod there, admitted or blocked by the same namespaceSelector', async () => {
    const blocked = await traceUntil(['--from-namespace', denied], ['network-policy-blocks']);
    assert.equal(blocked.code, 1);
    const open = await traceUntil(['--from-namespace', admitted], []);
    assert.equal(open.code, 0);
    const missing = await trace('--from-namespace', `nowhere-${runId}`);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /namespace "nowhere-[0-9a-f]+" not found/);
  });

  test('with a cluster DNS: its endpoints are checked, and an egress policy that admits only web blocks DNS', async (t) => {
    const existing = await run(cluster, 'kubectl', ['get', 'service', 'kube-dns', '-n', 'kube-system']);
    if (existing.code === 0) {
      t.skip('SKIPPED: this cluster has a kube-system/kube-dns of its own; the test will not touch it');
      return;
    }
    ownDns = true;
    await kubectl(cluster, ['apply', '-n', 'kube-system', '-f', manifest('kube-dns.yaml')]);
    await eventually(
      () => run(cluster, 'kubectl', ['wait', '--for=condition=Ready', 'pods', '-l', 'k8s-app=kube-dns', '-n', 'kube-system', '--timeout=60s']),
      (wait) => wait.code === 0,
      90,
    );
    const healthy = await eventually(
      () => trace('--from', `${admitted}/pod/client`),
      (result) => says(result.stdout, 'cluster DNS kube-system/kube-dns') && says(result.stdout, '2/2 endpoints ready'),
    );
    assert.equal(healthy.code, 0, healthy.stdout);

    const locked = await traceUntil(['--from', `${admitted}/pod/locked`], ['dns-egress-blocked']);
    assert.equal(locked.code, 1);
    const finding = parseJson<Trace>(locked)!.findings.find((f) => f.id === 'dns-egress-blocked')!;
    assert.equal(finding.level, 'error');
    assert.match(finding.message, /\(UDP and TCP 53\) to kube-system\/kube-dns: NetworkPolicy locked-egress isolates pod locked for egress/);
    // Near: the same client's egress admits web, so the backend hop holds.
    assert.ok(!parseJson<Trace>(locked)!.findings.some((f) => f.id === 'network-policy-blocks'));
  });

  test('a cluster DNS whose pods are not ready: cluster-dns-unavailable, exit 1', async (t) => {
    if (!ownDns) {
      t.skip('SKIPPED: needs the cluster DNS this file installs');
      return;
    }
    const pods = (await kubectl(cluster, ['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'name'])).trim().split('\n');
    for (const pod of pods) {
      const result = await run(cluster, 'bash', ['test/cluster/set-pod-ready.sh', 'kube-system', pod.replace('pod/', ''), 'false']);
      assert.equal(result.code, 0, result.stderr);
    }
    const broken = await traceUntil(['--from', `${admitted}/pod/client`], ['cluster-dns-unavailable']);
    assert.equal(broken.code, 1);
    const text = await trace('--from', `${admitted}/pod/client`);
    assert.match(text.stdout, /fail +dns /);
    assert.ok(says(text.stdout, 'the cluster DNS Service kube-system/kube-dns has no ready endpoint (0 of 2 ready)'), text.stdout);
  });
});
