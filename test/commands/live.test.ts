// The built executables against a fake API server on 127.0.0.1 (test/support/apiserver.ts) that
// serves API-shaped objects from test/fixtures/apiserver/<scenario>/: the output, the exit code,
// and exactly which requests were made (GET only, a handful per Service, one list per kind in list mode).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeconfigFor, startApiServer, type FakeApiServer, type RecordedRequest, type ScenarioOptions } from '../support/apiserver.js';
import { assertValid } from '../unit/render/schema-validator.js';
import { errorLines, run, sandbox, type Result, type Sandbox } from './run.js';
import type { EndpointSlice, Service } from '../../src/kube/types.js';

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

interface Session {
  server: FakeApiServer;
  trace: (...args: string[]) => Promise<Result>;
  explain: (...args: string[]) => Promise<Result>;
}

// Starts the scenario's server, writes a kubeconfig for it (token auth, namespace shop), runs `body`.
async function against(scenario: string, body: (session: Session) => Promise<void>, options: ScenarioOptions = {}): Promise<void> {
  const server = await startApiServer(scenario, options);
  try {
    const kubeconfig = await box.kubeconfig(kubeconfigFor(server), `${scenario}-${server.url.split(':').at(-1)}.yaml`);
    await body({
      server,
      trace: (...args) => run(args, { home: box.home, kubeconfig }),
      explain: (...args) => run(args, { home: box.home, kubeconfig, executable: 'explain' }),
    });
  } finally {
    await server.close();
  }
}

// `GET /path?query` with the query keys sorted, for comparing request sets.
const shown = (request: RecordedRequest) => {
  const query = new URLSearchParams(Object.entries(request.query).sort(([a], [b]) => a.localeCompare(b))).toString();
  return `${request.method} ${request.path}${query ? `?${decodeURIComponent(query)}` : ''}`;
};
const requestsOf = (server: FakeApiServer) => server.requests.map(shown).sort();

function assertReadOnly(server: FakeApiServer): void {
  assert.ok(server.requests.length > 0, 'the command reached the fake API server');
  assert.deepEqual(server.requests.filter((r) => r.method !== 'GET').map(shown), [], 'only GET requests');
}

describe('live: one Service', () => {
  test('healthy: exit 0, one GET request for each thing the trace needs, kube-system\'s at the same time', async () => {
    await against('healthy', async ({ server, trace }) => {
      const result = await trace('web');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, /^Service: {2}shop\/web\nType: {5}ClusterIP 10\.96\.112\.7\n/);
      assert.match(result.stdout, /^Ready: {4}2\/2 endpoints$/m);
      assert.match(result.stdout, /^Verdict: {2}ok$/m);
      assertReadOnly(server);
      assert.deepEqual(requestsOf(server), [
        'GET /api/v1/namespaces/kube-system/services/kube-dns', // the cluster DNS (not there: a note)
        'GET /api/v1/namespaces/shop',
        'GET /api/v1/namespaces/shop/events?fieldSelector=type=Warning&limit=500',
        'GET /api/v1/namespaces/shop/pods?labelSelector=app=web&limit=500',
        'GET /api/v1/namespaces/shop/services/web',
        'GET /apis/apps/v1/namespaces/kube-system/daemonsets?limit=500', // kube-proxy
        'GET /apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices?labelSelector=kubernetes.io/service-name=kube-dns&limit=500',
        'GET /apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?labelSelector=kubernetes.io/service-name=web&limit=500',
        // the Ingresses and routes that may send to it (this API server serves no Gateway API: 404, none)
        'GET /apis/gateway.networking.k8s.io/v1/namespaces/shop/grpcroutes?limit=500',
        'GET /apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes?limit=500',
        'GET /apis/networking.k8s.io/v1/namespaces/shop/ingresses?limit=500',
        'GET /apis/networking.k8s.io/v1/namespaces/shop/networkpolicies?limit=500',
      ]);
      assert.match(result.stdout, /note: no Service kube-system\/kube-dns: the cluster DNS was not checked/);
    });
  });

  test('healthy -o json: a Trace from the cluster that validates against the schema', async () => {
    await against('healthy', async ({ trace }) => {
      const result = await trace('web', '-o', 'json');
      assert.equal(result.code, 0);
      const output = JSON.parse(result.stdout) as { source: string; verdict: string; endpoints: unknown; findings: unknown[] };
      assertValid('Trace', output, 'kubectl svc-trace web -o json (healthy)');
      assert.equal(output.source, 'cluster');
      assert.equal(output.verdict, 'ok');
      assert.deepEqual(output.endpoints, { ready: 2, total: 2 });
      assert.deepEqual(output.findings, []);
    });
  });

  test('-n and svc/NAME reach the same Service; the namespace (or kube-system) is in every path', async () => {
    await against('healthy', async ({ server, trace }) => {
      const result = await trace('svc/web', '-n', 'shop', '-o', 'json');
      assert.equal(result.code, 0);
      const namespaced = (r: RecordedRequest, ns: string) => r.path.startsWith(`/api/v1/namespaces/${ns}`) || (r.path.startsWith('/apis/') && r.path.includes(`/namespaces/${ns}/`));
      assert.ok(server.requests.every((r) => namespaced(r, 'shop') || namespaced(r, 'kube-system')));
    });
  });

  test('one endpoint not ready: degraded, exit 0, the pod and why are named', async () => {
    await against('not-ready', async ({ server, trace }) => {
      const result = await trace('web');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Verdict: {2}degraded \(1 warning\)$/m);
      assert.match(result.stdout, /10\.244\.3\.4 {2}web-7d4b9c8f6-tq5vd on node-c {2}not ready: readiness probe of web failing/);
      assert.match(result.stdout, /some-endpoints-not-ready: 1 of 3 endpoints not ready: web-7d4b9c8f6-tq5vd \(readiness probe of web failing\)/);
      assertReadOnly(server);
      assert.ok(server.requests.length <= 12, `${server.requests.length} requests`);
    });
  });

  test('the selector matches no pod: exit 1, the near-miss labels named, one extra metadata-only list', async () => {
    await against('no-pods', async ({ server, trace }) => {
      const result = await trace('web', '-o', 'json');
      assert.equal(result.code, 1, result.stderr);
      const output = JSON.parse(result.stdout) as { verdict: string; findings: Array<{ id: string; hint: string }> };
      assertValid('Trace', output, 'kubectl svc-trace web -o json (no-pods)');
      assert.equal(output.findings[0]?.id, 'selector-matches-no-pods');
      assert.match(output.findings[0]!.hint, /Deployment\/web-v2 has app=web-v2 \(selector wants web\)/);
      assertReadOnly(server);
      assert.equal(server.requests.length, 13);
      const everyPod = server.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods' && r.query.labelSelector === undefined);
      assert.equal(everyPod.length, 1, 'the other pods are listed once');
      assert.match(everyPod[0]!.accept, /as=PartialObjectMetadataList/, 'labels only: a metadata-only list');
    });
  });

  test('svc-explain against the cluster: plain English, exit 0 for a degraded Service', async () => {
    await against('not-ready', async ({ explain }) => {
      const result = await explain('web');
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^web is a ClusterIP Service in namespace shop\. /);
      assert.match(result.stdout, /\n\nIt works, but degraded:\n\n/);
    });
  });
});

describe('live: ExternalName targets', () => {
  const externalName = (name: string, target: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'shop', uid: `0d1c2b3a-4f5e-4d6c-8b7a-${name.length.toString().padStart(12, '0')}`, resourceVersion: '52001', creationTimestamp: '2025-11-20T09:10:00Z' },
    spec: { type: 'ExternalName', externalName: target, sessionAffinity: 'None' },
    status: { loadBalancer: {} },
  });

  test('a name under the cluster domain is checked through the API, never on the workstation: a Service with endpoints is ok', async () => {
    await against('healthy', async ({ server, trace }) => {
      server.apply('services', externalName('payments', 'web.shop.svc.cluster.local'));
      const result = await trace('payments', '-o', 'json');
      assert.equal(result.code, 0, result.stderr);
      const traced = JSON.parse(result.stdout) as { verdict: string; findings: unknown[]; hops: Array<{ kind: string; notes: string[] }> };
      assert.equal(traced.verdict, 'ok');
      assert.deepEqual(traced.findings, []);
      assert.ok(traced.hops.find((hop) => hop.kind === 'dns')!.notes.includes('a name of the cluster, checked through the API: Service shop/web has 2 ready endpoint(s)'));
      assert.ok(server.requests.some((r) => r.path === '/api/v1/namespaces/shop/services/web'));
      assertReadOnly(server);
    });
  });

  test('near: a cluster name whose Service does not exist: broken, exit 1', async () => {
    await against('healthy', async ({ server, trace }) => {
      server.apply('services', externalName('payments', 'ghost.shop.svc.cluster.local.'));
      const result = await trace('payments');
      assert.equal(result.code, 1);
      assert.match(result.stdout, /externalname-unresolvable: ExternalName target ghost\.shop\.svc\.cluster\.local\. does not resolve: no Service ghost in namespace shop \(checked through the API\)/);
    });
  });
});

describe('live: a Service without selector', () => {
  test('its hand-made EndpointSlice names a pod that is gone: stale-endpoint, from the pods and nodes of the cluster', async () => {
    await against('healthy', async ({ server, trace }) => {
      const legacy: Service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'legacy', namespace: 'shop', uid: '7e6d5c4b-3a2f-4e1d-9c8b-7a6f5e4d3c2b', resourceVersion: '52010', creationTimestamp: '2025-11-20T09:10:00Z' },
        spec: { ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }], clusterIP: '10.96.40.4', clusterIPs: ['10.96.40.4'], type: 'ClusterIP', sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' },
        status: { loadBalancer: {} },
      };
      server.apply('services', legacy);
      const slice: EndpointSlice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'legacy-1', namespace: 'shop', uid: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', resourceVersion: '52011', creationTimestamp: '2025-11-20T09:10:00Z', labels: { 'kubernetes.io/service-name': 'legacy', 'endpointslice.kubernetes.io/managed-by': 'platform-team' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.244.1.99'], conditions: { ready: true }, targetRef: { kind: 'Pod', namespace: 'shop', name: 'web-0-gone' } }],
        ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
      };
      server.apply('endpointslices', slice);
      const result = await trace('legacy');
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /stale-endpoint: every endpoint of the EndpointSlices is stale: 10\.244\.1\.99 \(pod web-0-gone does not exist\)/);
      assert.ok(server.requests.some((r) => r.path === '/api/v1/namespaces/shop/pods' && !r.query.labelSelector));
      assertReadOnly(server);
    });
  });
});

describe('live: Service not found', () => {
  test('not in this namespace but in another: exit 4, the hint names the namespace and near names', async () => {
    await against('elsewhere', async ({ server, trace }) => {
      const result = await trace('web');
      assert.equal(result.code, 4, result.stderr);
      assert.equal(result.stdout, '');
      const { error, hint } = errorLines(result);
      assert.equal(error, 'service "web" not found in namespace "shop"');
      assert.match(hint, /a Service web exists in namespace staging \(use -n staging\)/);
      assert.match(hint, /did you mean web-admin\?/);
      assertReadOnly(server);
      assert.ok(
        server.requests.some((r) => r.path === '/api/v1/services' && r.query.fieldSelector === 'metadata.name=web'),
        'other namespaces are searched with one field-selected list',
      );
    });
  });

  test('a namespace that does not exist: exit 4, says so, and names the namespaces where the Service exists', async () => {
    await against('elsewhere', async ({ server, trace }) => {
      const result = await trace('web', '-n', 'nowhere');
      assert.equal(result.code, 4);
      const { error, hint } = errorLines(result);
      assert.equal(error, 'namespace "nowhere" not found');
      assert.equal(hint, 'a Service web exists in namespace staging (use -n staging)');
      assert.ok(server.requests.some((r) => r.path === '/api/v1/services' && r.query.fieldSelector === 'metadata.name=web'));
    });
  });

  test('near: a namespace that does not exist and no Service of that name anywhere: the hint lists namespaces', async () => {
    await against('elsewhere', async ({ trace }) => {
      const result = await trace('nothing-like-it', '-n', 'nowhere');
      assert.equal(result.code, 4);
      assert.equal(errorLines(result).hint, 'list namespaces with: kubectl get namespaces');
    });
  });

  test('--from a pod that does not exist: exit 4', async () => {
    await against('healthy', async ({ trace }) => {
      const result = await trace('web', '--from', 'pod/ghost');
      assert.equal(result.code, 4);
      assert.match(errorLines(result).error, /pod ghost not found in namespace shop/);
    });
  });
});

describe('live: a read-only user who may not read everything', () => {
  test('forbidden NetworkPolicies, Events and Namespaces: the trace still works and says what it could not read', async () => {
    await against('forbidden', async ({ server, trace }) => {
      const result = await trace('web');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, /^Verdict: {2}ok$/m);
      assert.match(result.stdout, /note: events: forbidden to list \(RBAC\)/);
      assert.match(result.stdout, /note: NetworkPolicies not evaluated: networkpolicies: forbidden to list \(RBAC\)/);
      assertReadOnly(server);
    });
  });

  test('the same as JSON: the notes are in the hops, and it validates', async () => {
    await against('forbidden', async ({ trace }) => {
      const result = await trace('web', '-o', 'json');
      assert.equal(result.code, 0);
      const output = JSON.parse(result.stdout) as { hops: Array<{ kind: string; notes: string[] }> };
      assertValid('Trace', output, 'kubectl svc-trace web -o json (forbidden)');
      const notes = Object.fromEntries(output.hops.map((hop) => [hop.kind, hop.notes]));
      assert.ok(notes.frontend?.some((note) => note.includes('forbidden')));
      assert.ok(notes.backend?.some((note) => note.includes('forbidden')));
    });
  });

  test('a broken Service is still broken (exit 1) when secondary lookups are forbidden', async () => {
    await against(
      'list',
      async ({ trace }) => {
        const result = await trace('cart');
        assert.equal(result.code, 1);
        assert.match(result.stdout, /no-ready-endpoints/);
        assert.match(result.stdout, /forbidden to list \(RBAC\)/);
      },
      { forbidden: ['networkpolicies', 'events', 'nodes', 'namespaces'] },
    );
  });

  test('a token the server rejects: exit 3, one line, the token never printed', async () => {
    await against('healthy', async ({ server }) => {
      const kubeconfig = await box.kubeconfig(kubeconfigFor({ url: server.url, token: 'expired-token-0000' }), 'expired.yaml');
      const result = await run(['web'], { home: box.home, kubeconfig });
      assert.equal(result.code, 3);
      assert.match(errorLines(result).error, /rejected the credentials of context "fake"/);
      assert.ok(!result.stderr.includes('expired-token-0000'));
    });
  });
});

describe('live: list mode', () => {
  test('one list per kind for the namespace, never a request per Service', async () => {
    await against('list', async ({ server, trace }) => {
      const result = await trace();
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      const rows = result.stdout.trimEnd().split('\n').slice(1).map((line) => line.split(/\s+/)[0]);
      assert.deepEqual(rows, ['api', 'cart', 'checkout', 'legacy-db', 'redis', 'web']);
      assertReadOnly(server);
      assert.deepEqual(requestsOf(server), [
        'GET /api/v1/namespaces/shop', // its labels, for NetworkPolicy namespaceSelectors
        'GET /api/v1/namespaces/shop/events?fieldSelector=type=Warning&limit=500',
        'GET /api/v1/namespaces/shop/pods?limit=500',
        'GET /api/v1/namespaces/shop/services?limit=500',
        'GET /api/v1/nodes?limit=500',
        'GET /apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?limit=500',
        'GET /apis/gateway.networking.k8s.io/v1/namespaces/shop/grpcroutes?limit=500',
        'GET /apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes?limit=500',
        'GET /apis/networking.k8s.io/v1/namespaces/shop/ingresses?limit=500',
        'GET /apis/networking.k8s.io/v1/namespaces/shop/networkpolicies?limit=500',
      ]);
    });
  });

  test('-A -o json: every namespace, cluster-wide lists, a ServiceHealthList that validates', async () => {
    await against('list', async ({ server, trace }) => {
      const result = await trace('-A', '-o', 'json');
      assert.equal(result.code, 0, result.stderr);
      const list = JSON.parse(result.stdout) as { items: Array<{ service: { namespace: string; name: string }; verdict: string }> };
      assertValid('ServiceHealthList', list, 'kubectl svc-trace -A -o json (list)');
      assert.deepEqual(
        list.items.map((item) => `${item.service.namespace}/${item.service.name} ${item.verdict}`),
        ['shop/api ok', 'shop/cart broken', 'shop/checkout degraded', 'shop/legacy-db broken', 'shop/redis ok', 'shop/web ok', 'staging/web ok'],
      );
      assertReadOnly(server);
      assert.equal(server.requests.length, 10, requestsOf(server).join('\n'));
      assert.ok(server.requests.every((r) => !r.path.includes('/namespaces/')), 'cluster-wide lists');
    });
  });

  test('-A: the table has a NAMESPACE column', async () => {
    await against('list', async ({ trace }) => {
      const result = await trace('-A');
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^NAMESPACE +NAME +TYPE +CLUSTER-IP/);
      assert.match(result.stdout, /^staging +web +ClusterIP +10\.96\.201\.15 /m);
    });
  });

  test('a namespace without Services: an empty table is not printed; stderr says so; exit 0', async () => {
    await against('list', async ({ trace }) => {
      const result = await trace('-n', 'kube-public');
      assert.equal(result.code, 0);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, 'No Services found in kube-public namespace.\n');
    });
  });
});

describe('live: --debug', () => {
  test('stderr has the request count, stdout is unchanged, and the token appears nowhere', async () => {
    await against('healthy', async ({ server, trace }) => {
      const plain = await trace('web', '-o', 'json');
      const before = server.requests.length;
      const result = await trace('web', '-o', 'json', '--debug');
      assert.equal(result.code, 0);
      assert.equal(result.stdout, plain.stdout);
      const made = server.requests.length - before;
      assert.match(result.stderr, new RegExp(`^debug: ${made} API requests$`, 'm'));
      assert.ok(!result.stderr.includes(server.token), 'no token in debug output');
      assert.ok(!result.stdout.includes(server.token));
      assert.match(result.stderr, /^debug: GET \/api\/v1\/namespaces\/shop\/services\/web 200 /m, 'each request is shown');
    });
  });

  test('list mode: the request count too', async () => {
    await against('list', async ({ server, trace }) => {
      const result = await trace('--debug');
      assert.equal(result.code, 0);
      assert.match(result.stderr, new RegExp(`^debug: ${server.requests.length} API requests$`, 'm'));
      assert.ok(!result.stderr.includes(server.token));
    });
  });
});

describe('live: what stands in front (ingress/NAME, httproute/NAME, a Service trace lists them)', () => {
  test('ingress/shop: healthy, exit 0; the TLS Secret is read as metadata only and its data appears nowhere', async () => {
    await against('entries', async ({ server, trace }) => {
      const result = await trace('ingress/shop');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Ingress: {2}shop\/shop\nClass: {4}nginx \(k8s\.io\/ingress-nginx\)\n/);
      assert.match(result.stdout, /shop\.example\.com \/ \(Prefix\) → shop\/web:80/);
      assert.match(result.stdout, /TLS shop\.example\.com: Secret shop-tls exists/);
      assert.match(result.stdout, /^Backend 1 of 1: Service shop\/web port 80 \(from shop\.example\.com \/ \(Prefix\)\): ok$/m);
      assertReadOnly(server);
      const secretRequests = server.requests.filter((r) => r.path.includes('/secrets'));
      assert.deepEqual(
        secretRequests.map((r) => [shown(r), r.accept]),
        [['GET /api/v1/namespaces/shop/secrets/shop-tls', 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1']],
        'one GET of the named Secret, asking for its metadata only',
      );
      const json = await trace('ingress/shop', '-o', 'json');
      for (const output of [result.stdout, json.stdout, result.stderr]) {
        assert.ok(!output.includes('U0VDUkVU') && !output.includes('tls.key'), 'no Secret data in any output');
      }
      assertValid('EntryTrace', JSON.parse(json.stdout), 'kubectl svc-trace ingress/shop -o json');
    });
  });

  test('ingress/wrong-port: exit 1, the port, the address and the TLS Secret that does not exist', async () => {
    await against('entries', async ({ trace }) => {
      const result = await trace('ing/wrong-port', '-o', 'json');
      assert.equal(result.code, 1, result.stderr);
      const output = JSON.parse(result.stdout) as { verdict: string; findings: Array<{ id: string }>; backends: Array<{ state: string }> };
      assertValid('EntryTrace', output);
      assert.deepEqual(output.findings.map((f) => f.id), ['ingress-tls-secret-missing', 'ingress-backend-port-missing', 'ingress-no-address']);
      assert.deepEqual(output.backends.map((b) => b.state), ['port-missing']);
    });
  });

  test("the Service's own trace lists the Ingresses and routes in front of it, and the wrong port", async () => {
    await against('entries', async ({ trace }) => {
      const result = await trace('web');
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /from ingress\/shop \(port 80\)\n/);
      assert.match(result.stdout, /from ingress\/wrong-port \(port 8080\) {2}the Service has no port 8080/);
      assert.match(result.stdout, /from httproute\/web \(port 80\)/);
      assert.match(result.stdout, /error {3}ingress-backend-port-missing: Ingress shop\/wrong-port sends to port 8080 of Service shop\/web/);
      const list = await trace();
      assert.match(list.stdout.split('\n')[0]!, / ENTRY$/);
      assert.match(list.stdout, /^web .* ingress\/shop,ingress\/wrong-port,\+2 more$/m);
    });
  });

  test('httproute/web accepted: exit 0; httproute/refused: exit 1, route-not-accepted with the reason', async () => {
    await against('entries', async ({ server, trace }) => {
      const accepted = await trace('httproute/web', '--debug');
      assert.equal(accepted.code, 0, accepted.stderr);
      assert.match(accepted.stdout, /parent Gateway shop\/public: Accepted=True, ResolvedRefs=True/);
      assert.match(accepted.stdout, /shop\/public: class example, Accepted=True, Programmed=True, address 203\.0\.113\.30/);
      assert.match(accepted.stderr, new RegExp(`^debug: ${server.requests.length} API requests$`, 'm'));
      const refused = await trace('httproute.gateway.networking.k8s.io/refused');
      assert.equal(refused.code, 1);
      assert.match(refused.stdout, /route-not-accepted: httproute\/refused is not accepted by Gateway shop\/public: NotAllowedByListeners \(no listener admits this route\)/);
    });
  });

  test('without the Gateway API CRDs: httproute/NAME says so in one line (exit 4), and a Service trace lists no routes', async () => {
    await against('healthy', async ({ trace }) => {
      const result = await trace('httproute/web');
      assert.equal(result.code, 4);
      assert.equal(result.stdout, '');
      assert.equal(errorLines(result).error, 'the cluster does not serve the Gateway API (gateway.networking.k8s.io/v1), so httproute "web" cannot exist');
      const service = await trace('web', '-o', 'json');
      assert.equal(service.code, 0, service.stderr);
      const frontend = (JSON.parse(service.stdout) as { hops: Array<{ kind: string; referencedBy?: unknown[]; notes: string[] }> }).hops[2]!;
      assert.deepEqual(frontend.referencedBy, []);
      assert.deepEqual(frontend.notes, []);
    });
  });

  test('ingress/NAME that does not exist: exit 4 and near names', async () => {
    await against('entries', async ({ trace }) => {
      const result = await trace('ingress/shopp');
      assert.equal(result.code, 4);
      assert.match(result.stderr, /^error: ingress "shopp" not found in namespace "shop"\nhint: did you mean shop\?/);
    });
  });

  test('svc-explain ingress/shop tells the entry, then its Service', async () => {
    await against('entries', async ({ explain }) => {
      const result = await explain('ingress/shop');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^shop is an Ingress in namespace shop of class nginx \(controller k8s\.io\/ingress-nginx\) for\s+shop\.example\.com\. It is reached at 203\.0\.113\.20\./);
      assert.match(result.stdout, /Service shop\/web \(port 80\): web is a ClusterIP Service/);
    });
  });
});
