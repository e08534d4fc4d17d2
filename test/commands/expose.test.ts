// `kubectl svc-trace expose` (the built executable, without a terminal) against the fake API server,
// serving workloads captured from kube-apiserver 1.34 (test/fixtures/expose/apiserver/): what is
// printed, the exit code, and which requests were made — no write without a server-side dry run
// first, none at all with --dry-run=client, and never a Service replaced.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import type { EndpointSlice, KubeList, Service } from '../../src/kube/types.js';
import { kubeconfigFor, startApiServer, type FakeApiServer, type RecordedRequest, type ScenarioOptions } from '../support/apiserver.js';
import { errorLines, run, sandbox, type Result, type Sandbox } from './run.js';

// The scenario lives with expose's fixtures; the fake API server looks under test/fixtures/apiserver.
const scenario = path.relative(path.resolve('test/fixtures/apiserver'), path.resolve('test/fixtures/expose/apiserver'));
const takenNodePort = (JSON.parse(readFileSync(path.resolve('test/fixtures/expose/apiserver/services.json'), 'utf8')) as KubeList<Service>).items[0]!.spec.ports![0]!.nodePort!;
const webSlices = (JSON.parse(readFileSync(path.resolve('test/fixtures/expose/created/web-endpointslices.json'), 'utf8')) as KubeList<EndpointSlice>).items;

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

async function against(body: (session: { server: FakeApiServer; expose: (...args: string[]) => Promise<Result> }) => Promise<void>, options: ScenarioOptions = {}): Promise<void> {
  const server = await startApiServer(scenario, options);
  try {
    const kubeconfig = await box.kubeconfig(kubeconfigFor(server), `expose-${server.url.split(':').at(-1)}.yaml`);
    await body({ server, expose: (...args) => run(['expose', ...args], { home: box.home, kubeconfig }) });
  } finally {
    await server.close();
  }
}

const shown = (request: RecordedRequest) => {
  const query = new URLSearchParams(Object.entries(request.query).sort(([a], [b]) => a.localeCompare(b))).toString();
  return `${request.method} ${request.path}${query ? `?${decodeURIComponent(query)}` : ''}`;
};
const writes = (server: FakeApiServer) => server.requests.filter((request) => request.method !== 'GET').map(shown);

describe('expose --dry-run', () => {
  test('client: the Service as YAML on stdout, one GET of the workload, nothing written', async () => {
    await against(async ({ server, expose }) => {
      const result = await expose('deploy/web', '--port', 'http,metrics', '--type', 'ClusterIP', '--dry-run=client');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.equal(
        result.stdout,
        [
          'apiVersion: v1',
          'kind: Service',
          'metadata:',
          '  name: web',
          '  namespace: shop',
          '  labels:',
          '    app: web',
          '    tier: frontend',
          'spec:',
          '  type: ClusterIP',
          '  selector:',
          '    app: web',
          '  ports:',
          '    - name: http',
          '      port: 8080',
          '      targetPort: http',
          '      protocol: TCP',
          '    - name: metrics',
          '      port: 9090',
          '      targetPort: metrics',
          '      protocol: TCP',
          '',
        ].join('\n'),
      );
      assert.deepEqual(server.requests.map(shown), ['GET /apis/apps/v1/namespaces/shop/deployments/web']);
    });
  });

  test('client -o json, for a StatefulSet made headless', async () => {
    await against(async ({ expose }) => {
      const result = await expose('sts/db', '--cluster-ip', 'None', '--dry-run', 'client', '-o', 'json');
      assert.equal(result.code, 0, result.stderr);
      const service = JSON.parse(result.stdout) as Service;
      assert.deepEqual(service.spec, { type: 'ClusterIP', clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }] });
    });
  });

  test("server: the API server's answer (defaults filled in), from a POST with dryRun=All, and nothing created", async () => {
    await against(async ({ server, expose }) => {
      const result = await expose('deploy/web', '--port', 'http', '--type', 'NodePort', '--dry-run=server');
      assert.equal(result.code, 0, result.stderr);
      const service = parse(result.stdout) as Service;
      assert.equal(service.spec.type, 'NodePort');
      assert.equal(service.spec.internalTrafficPolicy, 'Cluster');
      assert.equal(typeof service.spec.ports![0]!.nodePort, 'number');
      assert.deepEqual(writes(server), ['POST /api/v1/namespaces/shop/services?dryRun=All']);
      const check = await expose('deploy/web', '--port', 'http', '--type', 'NodePort', '--dry-run=server');
      assert.equal(check.code, 0, 'a dry run stored nothing, so the same name is still free');
    });
  });

  test('server: a node port another Service holds is the API server\'s 422, as one sentence and a hint (exit 1)', async () => {
    await against(async ({ expose }) => {
      const result = await expose('deploy/web', '--port', 'http', '--type', 'NodePort', '--node-port', String(takenNodePort), '--dry-run=server');
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      const { error, hint } = errorLines(result);
      assert.equal(error, `the API server refuses service "web": spec.ports[0].nodePort: Invalid value: ${takenNodePort}: provided port is already allocated`);
      assert.match(hint, /another Service holds that node port .* pass another --node-port, or leave it out/);
    });
  });

  test('server: a name in use is the API server\'s 409 AlreadyExists (exit 1)', async () => {
    await against(async ({ expose }) => {
      const result = await expose('deploy/web', '--port', 'http', '--type', 'ClusterIP', '--name', 'cart', '--dry-run=server');
      assert.equal(result.code, 1);
      const { error, hint } = errorLines(result);
      assert.equal(error, 'service "cart" already exists in namespace "shop"; expose never replaces a Service');
      assert.equal(hint, 'choose another name with --name, or look at the existing one: kubectl svc-trace cart -n shop');
    });
  });
});

describe('expose --yes', () => {
  test('checks (GET, then a server-side dry run), creates, waits for the EndpointSlices, and traces the new Service', async () => {
    await against(async ({ server, expose }) => {
      const running = expose('deploy/web', '--port', 'http', '--type', 'ClusterIP', '--yes');
      // The EndpointSlice controller's part: the slice appears once the command watches for it.
      await Promise.race([server.watching('endpointslices').then(() => webSlices.forEach((slice) => server.apply('endpointslices', slice))), running]);
      const result = await running;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^service\/web created\nService: {2}shop\/web\nType: {5}ClusterIP 10\.0\.0\.\d+\n/);
      assert.match(result.stdout, /^Ready: {4}2\/2 endpoints$/m);
      assert.match(result.stdout, /^Verdict: {2}ok$/m);
      assert.match(result.stderr, /^Waiting up to 10s for the EndpointSlice controller to list the 2 pod\(s\)\.\.\.\n$/);
      const order = server.requests.map(shown);
      const at = (line: string) => order.indexOf(line);
      assert.ok(at('GET /api/v1/namespaces/shop/services/web') < at('POST /api/v1/namespaces/shop/services?dryRun=All'), 'looked for the name first');
      assert.deepEqual(writes(server), ['POST /api/v1/namespaces/shop/services?dryRun=All', 'POST /api/v1/namespaces/shop/services']);
      assert.ok(server.requests.some((request) => request.query.watch === '1' && request.path.endsWith('/endpointslices')), 'watched, not polled');
    });
  });

  test('-o yaml after creating prints the created Service instead of the trace', async () => {
    await against(async ({ expose }) => {
      const result = await expose('deploy/api', '--type', 'ClusterIP', '--yes', '-o', 'yaml');
      assert.equal(result.code, 0, result.stderr);
      const service = parse(result.stdout) as Service;
      assert.equal(service.metadata.name, 'api');
      assert.match(service.spec.clusterIP!, /^10\.0\.0\.\d+$/);
      assert.deepEqual(service.spec.ports, [{ port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    });
  });

  test('a Service of that name exists: refused before any write, exit 1', async () => {
    await against(async ({ server, expose }) => {
      const result = await expose('deploy/web', '--port', 'http', '--type', 'ClusterIP', '--name', 'cart', '--yes');
      assert.equal(result.code, 1);
      assert.match(errorLines(result).error, /^service "cart" already exists in namespace "shop"; expose never replaces a Service$/);
      assert.deepEqual(writes(server), []);
    });
  });

  test('a user who may not touch Services: exit 3 with the RBAC message, nothing written', async () => {
    await against(
      async ({ server, expose }) => {
        const result = await expose('deploy/web', '--port', 'http', '--type', 'ClusterIP', '--yes');
        assert.equal(result.code, 3);
        assert.match(errorLines(result).error, /services "web" is forbidden: User ".*" cannot get resource "services"/);
        assert.deepEqual(writes(server), []);
      },
      { forbidden: ['services'] },
    );
  });
});

describe('expose without a terminal', () => {
  test('creating needs --yes: a usage error naming it, before the cluster is asked', async () => {
    await against(async ({ server, expose }) => {
      const result = await expose('deploy/web', '--port', 'http', '--type', 'ClusterIP');
      assert.equal(result.code, 2);
      const { error, hint } = errorLines(result);
      assert.equal(error, 'creating a Service needs a confirmation, and there is no terminal to ask on');
      assert.match(hint, /pass --yes to create it, or --dry-run=client/);
      assert.equal(server.requests.length, 0);
    });
  });

  test('open ports are a usage error naming --port; the type is not asked for (it defaults to ClusterIP)', async () => {
    await against(async ({ expose }) => {
      const result = await expose('deploy/web', '--dry-run=client');
      assert.equal(result.code, 2);
      const { error, hint } = errorLines(result);
      assert.equal(error, 'choose the ports to expose with --port (deployment/web declares http 8080/TCP, metrics 9090/TCP): there is no terminal for the wizard');
      assert.match(hint, /--port http,metrics/);
    });
  });

  test('--port without --type: a ClusterIP Service, as kubectl expose makes', async () => {
    await against(async ({ expose }) => {
      const result = await expose('deploy/web', '--port', '80:http', '--dry-run=client', '-o', 'yaml');
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^ {2}type: ClusterIP$/m);
    });
  });

  test('near: --node-port without --type still asks for the type (NodePort or LoadBalancer)', async () => {
    await against(async ({ expose }) => {
      const result = await expose('deploy/web', '--port', 'http', '--node-port', '30080', '--dry-run=client');
      assert.equal(result.code, 2);
      assert.match(errorLines(result).error, /the Service type with --type/);
    });
  });
});

describe('expose: workloads it cannot expose', () => {
  test('not found: exit 4 and the near names of that kind', async () => {
    await against(async ({ expose }) => {
      const result = await expose('deploy/webb', '--dry-run=client');
      assert.equal(result.code, 4);
      const { error, hint } = errorLines(result);
      assert.equal(error, 'deployment "webb" not found in namespace "shop"');
      assert.equal(hint, 'did you mean deployment/web?');
    });
  });

  test('a namespace that does not exist: exit 4', async () => {
    await against(async ({ expose }) => {
      const result = await expose('deploy/web', '-n', 'nowhere', '--dry-run=client');
      assert.equal(result.code, 4);
      assert.equal(errorLines(result).error, 'namespace "nowhere" not found');
    });
  });

  test('a selector with matchExpressions: exit 2 and the explanation', async () => {
    await against(async ({ expose }) => {
      const result = await expose('deploy/canary', '--type', 'ClusterIP', '--dry-run=client');
      assert.equal(result.code, 2);
      assert.match(errorLines(result).error, /selects its pods with matchExpressions .* a Service selector cannot express: it is a plain map of labels/);
    });
  });

  test('no container ports: exit 2 asking for --port; with it, a note on stderr and the Service', async () => {
    await against(async ({ expose }) => {
      const refused = await expose('deploy/worker', '--type', 'ClusterIP', '--dry-run=client');
      assert.equal(refused.code, 2);
      assert.match(errorLines(refused).hint, /pass --port PORT or --port PORT:TARGET/);
      const given = await expose('deploy/worker', '--port', '80:8080', '--type', 'ClusterIP', '--dry-run=client', '-o', 'json');
      assert.equal(given.code, 0, given.stderr);
      assert.match(given.stderr, /^note: no container of deployment\/worker declares port 8080\/TCP/);
      assert.deepEqual((JSON.parse(given.stdout) as Service).spec.ports, [{ port: 80, targetPort: 8080, protocol: 'TCP' }]);
    });
  });

  test('a CronJob: exit 2 without asking the cluster', async () => {
    await against(async ({ server, expose }) => {
      const result = await expose('cj/nightly', '--dry-run=client');
      assert.equal(result.code, 2);
      assert.match(errorLines(result).error, /^a CronJob cannot be exposed/);
      assert.equal(server.requests.length, 0);
    });
  });
});
