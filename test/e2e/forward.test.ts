// `kubectl svc-trace forward` on the real control plane, through the real kubectl: a Deployment of
// three KWOK pods behind a Service, each pod's port led by a KWOK PortForward rule to an echo
// server on this machine that greets with the pod's name. Connections spread over the pods; a pod
// deleted mid-run does not break new connections; with every pod not ready the command keeps
// running, says it waits, and resumes once a pod is ready again.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createNamespace, describeOnCluster, eventually, kubectl, podNames, run, waitForPods, type Cluster } from './support/cluster.js';
import { converse, podBehindNewConnection, startCommand, startEchoServer, type EchoServer, type RunningCommand } from './support/forward.js';
import { clusterPortForwardRule, deployment, manifests, portForwardRule, service } from './support/manifests.js';

const runId = randomBytes(3).toString('hex');
const namespace = `e2e-forward-${runId}`;
// Pods the ReplicaSet creates after the start (replacements) have no rule of their own: a
// ClusterPortForward for the namespace leads them to this server.
const replacement = 'replacement';
const clusterRule = `svc-trace-forward-${runId}`;

const workload = manifests(deployment('web', 3), service('web', { port: 8080 }));

async function setReady(cluster: Cluster, pod: string, ready: boolean): Promise<void> {
  const result = await run(cluster, 'bash', ['test/cluster/set-pod-ready.sh', namespace, pod, String(ready)]);
  if (result.code !== 0) throw new Error(`set-pod-ready.sh ${pod} ${ready} failed: ${result.stderr}`);
}

describeOnCluster('kubectl svc-trace forward on a real control plane', { timeout: 180_000 }, (cluster) => {
  const servers = new Map<string, EchoServer>();
  let pods: string[] = [];
  let forward: RunningCommand | undefined;
  let localPort = 0;
  let output = '';

  before(async () => {
    await createNamespace(cluster, namespace);
    await kubectl(cluster, ['apply', '-n', namespace, '-f', '-'], workload);
    await waitForPods(cluster, namespace);
    pods = await podNames(cluster, namespace, 'web');
    assert.equal(pods.length, 3);
    for (const name of [...pods, replacement]) servers.set(name, await startEchoServer(name));
    await kubectl(cluster, ['apply', '-f', '-'], manifests(...pods.map((pod) => portForwardRule(namespace, pod, { 8080: servers.get(pod)!.port })), clusterPortForwardRule(clusterRule, namespace, { 8080: servers.get(replacement)!.port })));
    forward = startCommand('kubectl', ['svc-trace', 'forward', 'web', ':8080', '-n', namespace], cluster.env);
    const [, port] = await forward.waitFor(/^Forwarding from 127\.0\.0\.1:(\d+) -> svc\/web:http \(target port http\)$/m);
    localPort = Number(port);
    await forward.waitFor(/endpoint .* added: ready, target port 8080 \(3 ready\)/);
  });

  after(async () => {
    const code = await forward?.stop('SIGTERM');
    if (forward && code !== 0) console.error(`forward exited ${code}:\n${forward.output()}`);
    if (process.env.SVC_TRACE_E2E_SHOW_OUTPUT) console.error(output);
    await run(cluster, 'kubectl', ['delete', 'clusterportforward', clusterRule, '--ignore-not-found', '--wait=false']);
    await run(cluster, 'kubectl', ['delete', 'namespace', namespace, '--wait=false']);
    await Promise.all([...servers.values()].map((server) => server.close()));
  });

  test('it listens on a free local port on 127.0.0.1 and ::1, and names the endpoints', async () => {
    assert.match(forward!.output(), new RegExp(`^Forwarding from \\[::1\\]:${localPort} -> svc/web:http`, 'm'));
    for (const pod of pods) await forward!.waitFor(new RegExp(`endpoint ${pod} on kwok-node-[abc] added: ready, target port 8080`), 5);
  });

  test('new connections spread over the pods, round robin', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(await podBehindNewConnection(localPort));
    assert.deepEqual([...new Set(seen)].sort(), pods, `every pod took connections: ${seen.join(', ')}`);
    assert.deepEqual(seen.slice(3), seen.slice(0, 3), 'the rotation repeats');
    assert.match(forward!.output(), new RegExp(`connection \\d+ from 127\\.0\\.0\\.1:\\d+ -> pod ${pods[0]}:8080`));
  });

  test('a pod deleted mid-run: its connection closes, new connections keep working', async () => {
    const victim = pods[0]!;
    // An open connection on the victim: rotate until one lands there.
    let onVictim = converse(localPort);
    for (let i = 0; i < 3 && (await onVictim.greeting) !== `hello from ${victim}`; i++) {
      onVictim.socket.destroy();
      onVictim = converse(localPort);
    }
    assert.equal(await onVictim.greeting, `hello from ${victim}`);
    await kubectl(cluster, ['delete', 'pod', victim, '-n', namespace, '--wait=false']);
    const closedInTime = await Promise.race([onVictim.closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000))]);
    assert.ok(closedInTime, `the connection on ${victim} was not closed within 15s:\n${forward!.output()}`);
    await forward!.waitFor(new RegExp(`connection \\d+ closed by svc-trace \\(${victim}, .*\\): pod ${victim} (is terminating|is not ready|left the Service's endpoints)`));
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) seen.push(await podBehindNewConnection(localPort));
    assert.ok(!seen.includes(victim), `no new connection went to the deleted pod: ${seen.join(', ')}`);
    await forward!.waitFor(new RegExp(`endpoint ${victim} .*removed`));
  });

  test('every pod not ready: it keeps running, says it waits, and resumes when one is ready', async () => {
    // The ReplicaSet's replacement counts too: wait until it is there and ready.
    const current = await eventually(
      () => podNames(cluster, namespace, 'web'),
      (names) => names.length === 3 && !names.includes(pods[0]!),
      60,
    );
    await waitForPods(cluster, namespace);
    for (const pod of current) await setReady(cluster, pod, false);
    await forward!.waitFor(/waiting: none of the 3 endpoints of service web is ready for port http; new connections wait up to 30s for one/);
    const waiting = converse(localPort);
    await forward!.waitFor(/connection \d+ from 127\.0\.0\.1:\d+ waits for a ready endpoint \(up to 30s\)/);
    const comeback = current[current.length - 1]!;
    await setReady(cluster, comeback, true);
    const greeting = await waiting.greeting;
    const expected = servers.has(comeback) ? comeback : replacement;
    assert.equal(greeting, `hello from ${expected}`);
    await forward!.waitFor(/resumed: 1 ready endpoint/);
    waiting.socket.destroy();
    assert.equal(forward!.child.exitCode, null, 'forward is still running');
  });

  test('-o json: one JSON object per event, Ctrl-C (SIGINT) exits 0', async () => {
    const json = startCommand('kubectl', ['svc-trace', 'forward', 'svc/web', ':http', '-n', namespace, '-o', 'json'], cluster.env);
    try {
      await json.waitFor(/"type":"endpoint"/);
      const listening = JSON.parse(json.output().split('\n')[0]!) as Record<string, unknown>;
      assert.equal(listening.type, 'listening');
      assert.equal(listening.port, 'http');
      const port = Number(/:(\d+)$/.exec(String(listening.address))![1]);
      await podBehindNewConnection(port);
      await json.waitFor(/"type":"connection-opened"/);
    } finally {
      assert.equal(await json.stop('SIGINT'), 0);
    }
    const events = json.output().trim().split('\n').map((line) => JSON.parse(line) as { type: string; time: string });
    assert.ok(events.every((event) => typeof event.type === 'string' && !Number.isNaN(Date.parse(event.time))));
  });

  test('what the port-forward API cannot reach is refused with exit 2, naming the limitation', async () => {
    await kubectl(cluster, ['apply', '-n', namespace, '-f', '-'], `
apiVersion: v1
kind: Service
metadata: {name: alias}
spec: {type: ExternalName, externalName: db.example.test}
---
apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: web}
  ports: [{name: dns, port: 53, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: external}
spec:
  ports: [{name: pg, port: 5432}]
`);
    const forward = (target: string, port: string) => run(cluster, 'kubectl', ['svc-trace', 'forward', target, port, '-n', namespace]);
    const cases: Array<[string, string, number, RegExp]> = [
      ['alias', '80', 2, /^error: service "alias" is of type ExternalName \(an alias for db\.example\.test\): it has no pods to forward to$/m],
      ['dns', '53', 2, /^error: port dns 53\/UDP of service "dns" is UDP: the Kubernetes port-forward API carries TCP only$/m],
      ['external', '5432', 2, /^error: service "external" has no selector: its endpoints are not pods, and the port-forward API reaches only pods$/m],
      ['web', '9999', 2, /^error: service "web" has no port 9999$/m],
      ['wbe', '8080', 4, /^error: service "wbe" not found in namespace "e2e-forward-/m],
    ];
    for (const [service, port, code, message] of cases) {
      const result = await forward(service, port);
      assert.equal(result.code, code, `${service} ${port}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /^hint: /m);
    }
  });

  test('SIGTERM closes everything and exits 0', async () => {
    const open = converse(localPort);
    await open.greeting;
    assert.equal(await forward!.stop('SIGTERM'), 0);
    await open.closed;
    output = forward!.output();
    forward = undefined;
  });
});
