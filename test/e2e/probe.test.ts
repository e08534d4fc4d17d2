// `kubectl svc-trace web --probe` on the real control plane, through the real kubectl: a Deployment
// of three KWOK pods behind two Services, each pod's ports led by a KWOK PortForward rule to this
// machine — port 8080 of two pods to a listening server, of the third to a closed port; port 8081
// (what a mistyped targetPort reaches) of every pod to the closed port. The real API server's
// port-forward carries each probe; the pods that refuse are named, the exit codes follow the
// verdict, and a read-only identity gets the note instead of a failure.
//
// KWOK's forward does not pass the half-close on to the target, so a silent server would never
// answer through it (a real kubelet's runtime closes the stream once its copy ends): the listening
// server here greets first, which the probe takes as the accept.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BackendHop, Trace } from '../../src/analyze/model.js';
import { assertValid } from '../unit/render/schema-validator.js';
import { createNamespace, describeOnCluster, kubectl, podNames, run, serviceAccountKubeconfig, waitForPods } from './support/cluster.js';
import { closedPort } from '../unit/forward/fake-portforward.js';
import { startEchoServer, type EchoServer } from './support/forward.js';
import { deployment, manifests, portForwardRule, service } from './support/manifests.js';

const runId = randomBytes(3).toString('hex');
const namespace = `e2e-probe-${runId}`;
const account = 'svc-trace-reader';
const role = `e2e-svc-trace-probe-reader-${runId}`;

const workload = manifests(deployment('web', 3), service('web', { port: 80 }), service('web-wrong-port', { app: 'web', port: 80, targetPort: 8081 }));

const readOnly = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: role, namespace },
      rules: [
        { apiGroups: [''], resources: ['services', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: role, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
    },
  ],
};

const backendOf = (trace: Trace) => trace.hops.find((hop) => hop.kind === 'backend') as BackendHop;

describeOnCluster('kubectl svc-trace --probe on a real control plane', { timeout: 180_000 }, (cluster) => {
  const directory = mkdtempSync(path.join(tmpdir(), 'svc-trace-probe-'));
  const readerKubeconfig = path.join(directory, 'kubeconfig.json');
  let listening: EchoServer;
  let pods: string[] = [];
  // The pod whose port 8080 leads to the closed port.
  let deaf = '';
  const svcTrace = (...args: string[]) => run(cluster, 'kubectl', ['svc-trace', ...args, '-n', namespace]);

  before(async () => {
    await createNamespace(cluster, namespace);
    await kubectl(cluster, ['apply', '-n', namespace, '-f', '-'], workload);
    await kubectl(cluster, ['create', 'serviceaccount', account, '-n', namespace]);
    await kubectl(cluster, ['apply', '-f', '-'], JSON.stringify(readOnly));
    await serviceAccountKubeconfig(cluster, namespace, account, readerKubeconfig);
    await waitForPods(cluster, namespace);
    pods = await podNames(cluster, namespace, 'web');
    assert.equal(pods.length, 3);
    deaf = pods[1]!;
    listening = await startEchoServer('web');
    const closed = await closedPort();
    await kubectl(cluster, ['apply', '-f', '-'], manifests(...pods.map((pod) => portForwardRule(namespace, pod, { 8080: pod === deaf ? closed : listening.port, 8081: closed }))));
  });

  after(async () => {
    rmSync(directory, { recursive: true, force: true });
    await run(cluster, 'kubectl', ['delete', 'namespace', namespace, '--wait=false']);
    await listening?.close();
  });

  test('one pod does not listen on the target port: it is named, the trace is degraded, exit 0', async () => {
    const result = await svcTrace('web', '--probe');
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^Verdict: {2}degraded \(1 warning\)$/m);
    assert.match(result.stdout, /backend {3}3 pod\(s\), container port 8080; probe: 2\/3 accepted$/m);
    assert.match(result.stdout, new RegExp(`^ +port http → ${deaf} web:8080/TCP {2}probe: refused$`, 'm'));
    for (const pod of pods.filter((p) => p !== deaf)) assert.match(result.stdout, new RegExp(`^ +port http → ${pod} web:8080/TCP {2}probe: accepted \\d+ms$`, 'm'));
    assert.match(result.stdout, new RegExp(`warning port-not-listening: 1 of 3 probed pods refused a connection on port http \\(target port 8080\\): ${deaf}$`, 'm'));
  });

  test('-o json: each backend row carries its probe, with the kubelet\'s words; valid against the schema', async () => {
    const result = await svcTrace('web', '--probe', '-o', 'json');
    assert.equal(result.code, 0, result.stderr);
    const trace = JSON.parse(result.stdout) as Trace;
    assertValid('Trace', trace, 'kubectl svc-trace web --probe -o json');
    const probes = Object.fromEntries(backendOf(trace).backends.map((b) => [b.pod, b.probe]));
    assert.equal(probes[deaf]?.outcome, 'refused');
    assert.match(probes[deaf]?.message ?? '', /connection refused/);
    assert.deepEqual(pods.filter((p) => p !== deaf).map((p) => probes[p]?.outcome), ['accepted', 'accepted']);
  });

  test('a targetPort nothing listens on: every pod refuses, an error, exit 1; assert --probe fails and names them', async () => {
    const result = await svcTrace('web-wrong-port', '--probe');
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stdout, /error {3}port-not-listening: every probed pod \(3\) refused a connection on port http \(target port 8081\)/);
    const gate = await svcTrace('assert', 'web-wrong-port', '--probe');
    assert.equal(gate.code, 1, gate.stdout);
    assert.match(gate.stdout, /fail {2}probe: every probed endpoint accepts {2}3 of 3 probed connections not accepted/);
    for (const pod of pods) assert.match(gate.stdout, new RegExp(`refused: pod ${pod} port http \\(8081\\): .*connection refused`));
    const passing = await svcTrace('assert', 'web', '--probe', '--probe-limit', '1');
    assert.equal(passing.code, 0, `${pods[0]} listens: ${passing.stdout}`);
  });

  test('svc-explain tells it', async () => {
    const result = await run(cluster, 'kubectl', ['svc-explain', 'web', '--probe', '-n', namespace]);
    assert.equal(result.code, 0, result.stderr);
    const flat = result.stdout.replace(/\s+/g, ' ');
    assert.match(flat, new RegExp(`The probe opened one connection to each of 3 ready pods through the API server's port-forward and sent nothing: accepted by .*; refused by ${deaf} \\(port http → 8080\\)\\.`));
  });

  test('a read-only identity: "probe not permitted" on the backend hop, never a failure', async () => {
    const result = await run(cluster, 'kubectl', ['svc-trace', 'web-wrong-port', '--probe'], { env: { ...cluster.env, KUBECONFIG: readerKubeconfig } });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^Verdict: {2}ok$/m);
    assert.match(result.stdout, /note: probe not permitted: the API server answered 403: pods "web-[a-z0-9-]+" is forbidden: User "system:serviceaccount:e2e-probe-[0-9a-f]+:svc-trace-reader" cannot get resource "pods\/portforward"/);
  });

  test('without --probe no port-forward request is made', async () => {
    const result = await svcTrace('web', '--debug');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^debug: GET \/api\/v1\/namespaces\/e2e-probe-[0-9a-f]+\/services\/web 200/m);
    assert.doesNotMatch(result.stderr, /portforward/);
  });
});
