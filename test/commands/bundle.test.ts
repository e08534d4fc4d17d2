// The npm install runs the bundle (dist/svc-trace.cjs, written by npm run build, which bin/launch.js
// compiles as a script, out of the module loader's sight): no other file of svc-trace's own,
// nothing read from node_modules, package.json and the commands compiled in.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { run, sandbox, type Sandbox } from './run.js';
import { authProviderKubeconfig, startApiServer } from '../support/apiserver.js';

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

const hook = pathToFileURL(path.join(import.meta.dirname, 'loaded-modules.js')).href;

for (const [executable, args] of [['trace', ['-f', 'examples/shop', '-n', 'shop']], ['explain', ['--help']]] as const) {
  test(`kubectl-svc_${executable} ${args.join(' ')}: the bundle, and no other file of svc-trace or its dependencies`, async () => {
    const file = path.join(box.home, `loaded-${executable}.txt`);
    const result = await run([...args], { home: box.home, executable, env: { NODE_OPTIONS: `--import=${hook}`, SVC_TRACE_LOADED_MODULES: file } });
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
    assert.match(result.stdout, executable === 'trace' ? /^cart +ClusterIP .* broken +target-port-missing/m : /svc-explain SERVICE/);
    const files = (await readFile(file, 'utf8')).split('\n').filter((url) => url.startsWith('file:'));
    const ours = files.filter((url) => !url.endsWith('/loaded-modules.js') && !url.endsWith('/loopback-only.js'));
    assert.deepEqual(
      ours.map((url) => path.relative(process.cwd(), new URL(url).pathname)),
      [path.join('bin', `kubectl-svc_${executable}.js`), path.join('bin', 'launch.js')],
    );
  });
}

test('an auth provider in the kubeconfig: the Kubernetes client is read from its own file beside the bundle, only then', async () => {
  const server = await startApiServer('healthy');
  try {
    const kubeconfig = await box.kubeconfig(authProviderKubeconfig(server), 'auth-provider.yaml');
    const file = path.join(box.home, 'loaded-auth-provider.txt');
    const result = await run(['web', '-o', 'json'], { home: box.home, kubeconfig, env: { NODE_OPTIONS: `--import=${hook}`, SVC_TRACE_LOADED_MODULES: file } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).service.name, 'web');
    const files = (await readFile(file, 'utf8')).split('\n').filter((url) => url.startsWith('file:') && !url.includes('/test/'));
    assert.deepEqual(
      files.map((url) => path.relative(process.cwd(), new URL(url).pathname)),
      [path.join('bin', 'kubectl-svc_trace.js'), path.join('bin', 'launch.js'), path.join('dist', 'svc-trace-kubernetes-client.cjs')],
    );
  } finally {
    await server.close();
  }
});
