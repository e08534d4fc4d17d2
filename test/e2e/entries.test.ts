// What stands in front of Services, on the real control plane: Ingresses (served by every API server)
// and the Gateway API (its CRDs from the Go module sigs.k8s.io/gateway-api, test/cluster/gateway-api.sh).
// No controller runs, so the status a controller writes is patched in (kubectl patch --subresource=status).
// The plugin runs as a user runs it: `kubectl svc-trace ingress/NAME`, `httproute/NAME`, a Service.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { EntryTrace } from '../../src/analyze/entry-model.js';
import type { Trace } from '../../src/analyze/model.js';
import { schemaErrors } from '../unit/render/schema-validator.js';
import { createNamespace, describeOnCluster, eventually, kubectl, parseJson, run, waitForPods } from './support/cluster.js';

const runId = randomBytes(3).toString('hex');
const shop = `e2e-entries-shop-${runId}`;
const payments = `e2e-entries-payments-${runId}`;
const ingressClass = `e2e-nginx-${runId}`;
const manifest = (name: string) =>
  readFileSync(path.resolve('test/e2e/entries', name), 'utf8').replaceAll('$CLASS', ingressClass).replaceAll('$PAYMENTS', payments);

const condition = (type: string, status: string, reason: string) => ({ type, status, reason, message: '', observedGeneration: 1, lastTransitionTime: '2025-11-20T09:05:02Z' });
const routeStatus = (...conditions: object[]) => ({
  status: { parents: [{ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }, controllerName: 'example.com/gateway-controller', conditions }] },
});

const findingIds = (trace: { findings: Array<{ id: string }> }) => trace.findings.map((f) => f.id).sort();

describeOnCluster('Ingress and Gateway API entries on a real control plane', { concurrency: 1 }, (cluster) => {
  const patchStatus = (kind: string, name: string, body: object, namespace = shop) =>
    kubectl(cluster, ['patch', kind, name, '-n', namespace, '--subresource=status', '--type=merge', '-p', JSON.stringify(body)]);
  const trace = (...args: string[]) => run(cluster, 'kubectl', ['svc-trace', ...args, '-n', shop]);
  // Controllers (EndpointSlices) settle in their own time: trace until the verdict shows.
  const settled = async (target: string, verdict: string) => {
    const result = await eventually(() => trace(target, '-o', 'json'), (r) => parseJson<{ verdict: string }>(r)?.verdict === verdict, 60);
    assert.equal(result.stderr, '', `${target}: nothing on stderr`);
    const output = JSON.parse(result.stdout) as EntryTrace;
    assert.deepEqual(schemaErrors('EntryTrace', output), [], `${target} -o json validates against schema/entry-trace.schema.json`);
    return { result, output };
  };

  before(async () => {
    const crds = await run(cluster, 'bash', ['test/cluster/gateway-api.sh']);
    assert.equal(crds.code, 0, `installing the Gateway API CRDs failed: ${crds.stderr}`);
    await Promise.all([createNamespace(cluster, shop), createNamespace(cluster, payments)]);
    await kubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: ingressClass }, spec: { controller: 'example.com/ingress-controller' } }));
    await kubectl(cluster, ['apply', '-n', payments, '-f', '-'], manifest('payments.yaml'));
    await kubectl(cluster, ['apply', '-n', shop, '-f', '-'], manifest('shop.yaml'));
    await Promise.all([waitForPods(cluster, shop), waitForPods(cluster, payments)]);
    // What the controllers would write: the Ingress's address, the Gateway's conditions and address,
    // each route's parent status.
    await patchStatus('ingress', 'shop', { status: { loadBalancer: { ingress: [{ ip: '203.0.113.20' }] } } });
    await patchStatus('gateway', 'public', {
      status: { addresses: [{ type: 'IPAddress', value: '203.0.113.30' }], conditions: [condition('Accepted', 'True', 'Accepted'), condition('Programmed', 'True', 'Programmed')] },
    });
    await patchStatus('httproute', 'web', routeStatus(condition('Accepted', 'True', 'Accepted'), condition('ResolvedRefs', 'True', 'ResolvedRefs')));
    await patchStatus('httproute', 'refused', routeStatus(condition('Accepted', 'False', 'NotAllowedByListeners'), condition('ResolvedRefs', 'True', 'ResolvedRefs')));
    await patchStatus('httproute', 'payments', routeStatus(condition('Accepted', 'True', 'Accepted'), condition('ResolvedRefs', 'False', 'RefNotPermitted')));
  });

  after(async () => {
    await run(cluster, 'kubectl', ['delete', 'namespace', '--wait=false', shop, payments]);
    await run(cluster, 'kubectl', ['delete', 'ingressclass', ingressClass, '--wait=false']);
  });

  test('a healthy Ingress (class, address, TLS Secret): exit 0, its Service traced on the port it names', async (t) => {
    const { result, output } = await settled('ingress/shop', 'ok');
    assert.equal(result.code, 0);
    assert.deepEqual(findingIds(output), []);
    assert.deepEqual(output.entry.addresses, ['203.0.113.20']);
    assert.deepEqual(output.backends.map((b) => [b.name, b.port, b.state, b.trace?.endpoints]), [['web', 'http', 'found', { ready: 2, total: 2 }]]);
    const text = await trace('ingress/shop', '--debug');
    assert.equal(text.code, 0);
    assert.match(text.stdout, /TLS shop\.example\.com: Secret shop-tls exists/);
    assert.ok(!text.stdout.includes('not a real certificate') && !text.stderr.includes('not a real certificate'), "the Secret's data is never shown");
    assert.match(text.stderr, /^debug: GET \/api\/v1\/namespaces\/[^/]+\/secrets\/shop-tls 200 /m);
    t.diagnostic(text.stderr.split('\n').find((line) => / API requests$/.test(line)) ?? '');
  });

  test('an Ingress naming port 8080 of a Service that has 80: exit 1, ingress-backend-port-missing (and no address yet)', async () => {
    const { result, output } = await settled('ingress/wrong-port', 'broken');
    assert.equal(result.code, 1);
    assert.deepEqual(findingIds(output), ['ingress-backend-port-missing', 'ingress-no-address']);
    assert.equal(output.backends[0]!.state, 'port-missing');
  });

  test("the Service's own trace lists the Ingresses and routes in front of it, and flags the wrong port", async () => {
    const result = await eventually(() => trace('web', '-o', 'json'), (r) => (parseJson<Trace>(r)?.endpoints?.ready ?? 0) === 2, 60);
    assert.equal(result.code, 1, result.stderr);
    const output = JSON.parse(result.stdout) as Trace;
    assert.deepEqual(schemaErrors('Trace', output), []);
    const frontend = output.hops.find((hop) => hop.kind === 'frontend');
    assert.ok(frontend?.kind === 'frontend');
    assert.deepEqual(
      (frontend.referencedBy ?? []).map((r) => `${r.kind}/${r.name}:${r.port}${r.problem ? ' !' : ''}`).sort(),
      ['HTTPRoute/refused:80', 'HTTPRoute/web:80', 'Ingress/shop:http', 'Ingress/wrong-port:8080 !'],
    );
    assert.deepEqual(output.findings.filter((f) => f.level !== 'info').map((f) => [f.id, f.hop]), [['ingress-backend-port-missing', 'frontend']]);
    const list = await run(cluster, 'kubectl', ['svc-trace', '-n', shop]);
    assert.match(list.stdout.split('\n')[0]!, / ENTRY$/);
    assert.match(list.stdout, /^web +.* ingress\/shop,ingress\/wrong-port,\+2 more$/m);
  });

  test('an HTTPRoute its Gateway accepts: exit 0, Gateway listeners and address, the Service traced', async (t) => {
    const { result, output } = await settled('httproute/web', 'ok');
    assert.equal(result.code, 0);
    assert.deepEqual(findingIds(output), []);
    assert.deepEqual(output.entry.addresses, ['203.0.113.30']);
    assert.deepEqual(output.backends.map((b) => [b.name, b.port, b.trace?.verdict]), [['web', '80', 'ok']]);
    const text = await trace('httproute/web', '--debug');
    assert.match(text.stdout, /parent Gateway [^/]+\/public: Accepted=True, ResolvedRefs=True/);
    t.diagnostic(text.stderr.split('\n').find((line) => / API requests$/.test(line)) ?? '');
  });

  test('an HTTPRoute its Gateway does not accept: exit 1, route-not-accepted with the reason', async () => {
    const { result, output } = await settled('httproute/refused', 'broken');
    assert.equal(result.code, 1);
    assert.deepEqual(findingIds(output), ['route-not-accepted']);
    assert.match(output.findings[0]!.message, /NotAllowedByListeners/);
  });

  test('a cross-namespace backendRef: broken without a ReferenceGrant, ok once one allows it', async () => {
    const denied = await settled('httproute/payments', 'broken');
    assert.equal(denied.result.code, 1);
    assert.deepEqual(findingIds(denied.output), ['route-reference-grant-missing', 'route-refs-unresolved']);
    assert.equal(denied.output.backends[0]!.state, 'not-permitted');

    await kubectl(cluster, ['apply', '-n', payments, '-f', '-'], JSON.stringify({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: 'from-shop' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: shop }], to: [{ group: '', kind: 'Service', name: 'billing' }] },
    }));
    await patchStatus('httproute', 'payments', routeStatus(condition('Accepted', 'True', 'Accepted'), condition('ResolvedRefs', 'True', 'ResolvedRefs')));
    const granted = await settled('httproute/payments', 'ok');
    assert.equal(granted.result.code, 0);
    assert.deepEqual(findingIds(granted.output), []);
    assert.deepEqual(granted.output.backends.map((b) => [b.namespace, b.name, b.state, b.trace?.verdict]), [[payments, 'billing', 'found', 'ok']]);
  });

  test('svc-explain ingress/shop tells the entry and its Service; exit 0', async () => {
    const result = await run(cluster, 'kubectl', ['svc-explain', 'ingress/shop', '-n', shop]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^shop is an Ingress in namespace ${shop} of class ${ingressClass}`));
    assert.match(result.stdout, /It is reached at 203\.0\.113\.20\./);
  });
});
