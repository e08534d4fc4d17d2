// `kubectl svc-trace expose` on the real control plane (kube-apiserver, the real EndpointSlice
// controller, KWOK pods), run through the real kubectl with the plugin on PATH: the API server's
// own refusals (a node port in use, a name in use, a node port out of range), a creation and its
// trace, and one whole wizard run on a pseudo-terminal (tmux), checked screen by screen.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import type { Service } from '../../src/kube/types.js';
import { createNamespace, describeOnCluster, kubectl, run, waitForPods, type Cluster, type Run } from './support/cluster.js';

const runId = randomBytes(3).toString('hex');
const namespace = `e2e-expose-${runId}`;
const manifests = path.resolve('test/fixtures/expose/e2e/manifests.yaml');

function errorLine(result: Run): string {
  return result.stderr.split('\n').find((line) => line.startsWith('error: '))?.slice('error: '.length) ?? `(no error line) ${result.stderr}`;
}

async function getService(cluster: Cluster, name: string): Promise<Service> {
  return JSON.parse(await kubectl(cluster, ['get', 'service', name, '-n', namespace, '-o', 'json'])) as Service;
}

describeOnCluster('expose on a real control plane', {}, (cluster) => {
  const expose = (...args: string[]) => run(cluster, 'kubectl', ['svc-trace', 'expose', ...args, '-n', namespace]);
  let heldNodePort = 0;

  before(async () => {
    await createNamespace(cluster, namespace);
    await kubectl(cluster, ['apply', '-n', namespace, '-f', manifests]);
    await waitForPods(cluster, namespace);
    heldNodePort = (await getService(cluster, 'holder')).spec.ports![0]!.nodePort!;
  });

  after(async () => {
    await run(cluster, 'kubectl', ['delete', 'namespace', namespace, '--wait=false']);
  });

  test('a node port another Service holds: the server-side dry run says so, exit 1, nothing created', async () => {
    const result = await expose('deploy/api', '--type', 'NodePort', '--node-port', String(heldNodePort), '--dry-run=server');
    assert.equal(result.code, 1, result.stderr);
    assert.equal(errorLine(result), `the API server refuses service "api": spec.ports[0].nodePort: Invalid value: ${heldNodePort}: provided port is already allocated`);
    assert.match(result.stderr, /^hint: another Service holds that node port/m);
    const created = await expose('deploy/api', '--type', 'NodePort', '--node-port', String(heldNodePort), '--yes');
    assert.equal(created.code, 1);
    assert.match(errorLine(created), /provided port is already allocated/);
    assert.equal((await run(cluster, 'kubectl', ['get', 'service', 'api', '-n', namespace])).code, 1, 'no Service api');
  });

  test('a node port outside the range: the dry run lets it pass, the create refuses it, exit 1', async () => {
    const result = await expose('deploy/api', '--type', 'NodePort', '--node-port', '80', '--yes');
    assert.equal(result.code, 1, result.stdout);
    assert.match(errorLine(result), /^the API server refuses service "api": spec\.ports\[0\]\.nodePort: Invalid value: 80: provided port is not in the valid range\. The range of valid ports is 30000-32767$/);
    assert.match(result.stderr, /^hint: node ports lie in the cluster's node port range/m);
  });

  test('--dry-run=client prints the Service; --dry-run=server prints what the API server would store', async () => {
    const client = await expose('deploy/web', '--port', 'http', '--type', 'ClusterIP', '--dry-run=client');
    assert.equal(client.code, 0, client.stderr);
    assert.deepEqual((parse(client.stdout) as Service).spec, { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] });
    const server = await expose('deploy/web', '--port', 'http', '--type', 'NodePort', '--dry-run=server', '-o', 'json');
    assert.equal(server.code, 0, server.stderr);
    const answered = JSON.parse(server.stdout) as Service & { metadata: { managedFields?: unknown } };
    assert.equal(answered.spec.externalTrafficPolicy, 'Cluster', 'defaulted by the API server');
    assert.ok(answered.spec.ports![0]!.nodePort! >= 30000);
    assert.equal(answered.metadata.managedFields, undefined);
    assert.equal((await run(cluster, 'kubectl', ['get', 'service', 'web', '-n', namespace])).code, 1, 'dry runs create nothing');
  });

  test('--yes creates the Service, and its trace shows the endpoints the controller made', async () => {
    const result = await expose('deploy/web', '--port', 'http', '--type', 'ClusterIP', '--yes');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^service/web created\\nService: {2}${namespace}/web\\nType: {5}ClusterIP 10\\.`));
    assert.match(result.stdout, /^Ready: {4}2\/2 endpoints$/m);
    assert.match(result.stdout, /^Verdict: {2}ok$/m);
    assert.match(result.stdout, /^ {2}ok {4}endpoint {2}2\/2 ready$/m);
    const service = await getService(cluster, 'web');
    assert.deepEqual(service.spec.selector, { app: 'web' });
    assert.deepEqual(service.spec.ports, [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    assert.deepEqual(service.metadata.labels, { app: 'web', tier: 'frontend' });
  });

  test('a name in use: refused and left as it is (exit 1), also by the API server itself (409)', async () => {
    const before = (await getService(cluster, 'web')).metadata.resourceVersion;
    const result = await expose('deploy/web', '--port', 'metrics', '--type', 'NodePort', '--yes');
    assert.equal(result.code, 1);
    assert.equal(errorLine(result), `service "web" already exists in namespace "${namespace}"; expose never replaces a Service`);
    const server = await expose('deploy/web', '--port', 'metrics', '--type', 'ClusterIP', '--dry-run=server');
    assert.equal(server.code, 1);
    assert.equal(errorLine(server), `service "web" already exists in namespace "${namespace}"; expose never replaces a Service`);
    const after = await getService(cluster, 'web');
    assert.equal(after.metadata.resourceVersion, before);
    assert.equal(after.spec.type, 'ClusterIP');
  });

  describe('the wizard on a pseudo-terminal (tmux, 120×40)', () => {
    const tmuxVersion = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
    if (tmuxVersion.status !== 0) {
      const reason = 'SKIPPED: tmux is not installed, so the wizard cannot be driven on a pseudo-terminal';
      if (process.env.CI) throw new Error(reason);
      test('wizard run', { skip: reason }, () => {});
      return;
    }
    const socket = `svc-trace-expose-${runId}`;
    // A person's terminal: without CI in the environment, where ink would draw only the last frame.
    const { CI: _ci, ...terminalEnv } = cluster.env;
    const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: terminalEnv });
    const screen = () => tmux('capture-pane', '-p', '-t', 'wizard').stdout;
    const keys = (...names: string[]) => tmux('send-keys', '-t', 'wizard', ...names);
    const type = (text: string) => tmux('send-keys', '-t', 'wizard', '-l', text);
    async function waitFor(pattern: RegExp, what: string, seconds = 20): Promise<string> {
      const deadline = Date.now() + seconds * 1000;
      for (;;) {
        const shown = screen();
        if (pattern.test(shown)) return shown;
        if (Date.now() > deadline) assert.fail(`${what}: ${pattern} did not appear within ${seconds}s; the screen:\n${shown}`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
    // One key at a time, as a person types.
    async function press(...names: string[]): Promise<void> {
      for (const name of names) {
        keys(name);
        await new Promise((resolve) => setTimeout(resolve, 120));
      }
    }

    after(() => {
      tmux('kill-server');
    });

    test('pick a port, NodePort, a name; the preview shows the YAML and the pods; y creates it and traces it', async (t) => {
      const started = tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', 'wizard', `kubectl svc-trace expose deploy/web -n ${namespace}; echo "EXIT=$?"; sleep 600`);
      assert.equal(started.status, 0, started.stderr);

      const ports = await waitFor(/step 1 of 3: ports/, 'the ports screen');
      assert.match(ports, /❯ \[x\] http {5}8080\/TCP {3}container web\n {2}\[x\] metrics {2}9090\/TCP {3}container web/);
      await press('Down', 'Space');
      await waitFor(/\[ \] metrics/, 'metrics unticked');
      await press('Enter');

      const types = await waitFor(/step 2 of 3: type/, 'the type screen');
      assert.match(types, /NodePort {6}on every node's IP at a port in 30000–32767/);
      await press('Down', 'Enter');

      await waitFor(/Name of the Service: web\n/, 'the name screen');
      await press('BSpace', 'BSpace', 'BSpace');
      type('web-public');
      await waitFor(/Name of the Service: web-public\n/, 'the name typed');
      await press('Enter');

      const preview = await waitFor(new RegExp(`Create service ${namespace}/web-public\\? \\[y/n\\]`), 'the preview');
      t.diagnostic(`the preview screen:\n${preview}`);
      assert.match(preview, /│ {3}name: web-public/);
      assert.match(preview, /│ {3}type: NodePort/);
      assert.match(preview, /│ {7}targetPort: http/);
      assert.doesNotMatch(preview, /metrics/, 'the unticked port is not in the Service');
      assert.match(preview, new RegExp(`NodePort ${namespace}/web-public`));
      assert.match(preview, /endpoint {2}2 would-be pod\(s\) selected/);
      assert.match(preview, /Would be backed by 2 live pod\(s\):\n {2}web-\S+ on kwok-node-[abc]: http → web:8080\/TCP\n {2}web-\S+ on kwok-node-[abc]: http → web:8080\/TCP/);
      assert.match(preview, /✔ The API server accepts it \(server-side dry run\)/);
      assert.equal((await run(cluster, 'kubectl', ['get', 'service', 'web-public', '-n', namespace])).code, 1, 'nothing created before y');

      await press('y');
      const done = await waitFor(/EXIT=\d+/, 'the command to finish', 30);
      const whole = tmux('capture-pane', '-p', '-t', 'wizard', '-S', '-80').stdout;
      t.diagnostic(`after y:\n${done}`);
      assert.match(whole, /EXIT=0/);
      assert.match(whole, new RegExp(`service/web-public created`));
      assert.match(whole, new RegExp(`NodePort ${namespace}/web-public {2}ok`));
      assert.match(whole, /endpoint {2}2\/2 ready/);

      const service = await getService(cluster, 'web-public');
      assert.equal(service.spec.type, 'NodePort');
      assert.deepEqual(service.spec.selector, { app: 'web' });
      assert.deepEqual(service.spec.ports!.map(({ name, port, targetPort, protocol }) => ({ name, port, targetPort, protocol })), [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
      const listed = await kubectl(cluster, ['get', 'svc', '-n', namespace]);
      assert.match(listed, /^web-public +NodePort +10\.\S+ +<none> +8080:3\d{4}\/TCP/m);
    });
  });
});
