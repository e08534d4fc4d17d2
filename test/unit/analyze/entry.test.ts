// ingress/NAME, httproute/NAME and grpcroute/NAME traces: every entry finding of the README's Findings table is
// raised by its case (entry-cases.ts) and not by a near case; backends are traced on the port the
// entry names; a Service's own frontend hop lists the entries in front of it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { catalogue, type FindingId } from '../../../src/analyze/catalogue.js';
import type { EntryTrace, GatewayHop, IngressHop, RouteHop } from '../../../src/analyze/entry-model.js';
import { analyzeEntry } from '../../../src/analyze/entry.js';
import { hostnamesIntersect } from '../../../src/analyze/hostnames.js';
import { analyze } from '../../../src/analyze/trace.js';
import type { EntrySnapshot } from '../../../src/snapshot.js';
import { condition, httpRoute, ingress, ingressClass, ingressSnapshot, referenceGrant, routeSnapshot, webSnapshot } from '../../support/entries.js';
import { hopOf } from '../../support/snapshot.js';
import { assertValid } from '../render/schema-validator.js';
import { entryCases, traceOfEntryCase } from './entry-cases.js';

const ids = (trace: EntryTrace) => trace.findings.map((f) => f.id);
function expectOne(trace: EntryTrace, id: FindingId, ...fragments: string[]) {
  const found = trace.findings.filter((f) => f.id === id);
  assert.equal(found.length, 1, `one ${id}, got ${ids(trace).join(', ') || '<none>'}`);
  const finding = found[0]!;
  assert.equal(finding.level, catalogue[id].level);
  assert.equal(finding.hop, catalogue[id].hop);
  for (const fragment of fragments) assert.ok(finding.message.includes(fragment) || finding.hint.includes(fragment), `${id}: "${finding.message}" / "${finding.hint}" should say "${fragment}"`);
  return finding;
}
const expectNone = (trace: EntryTrace, id: FindingId) => assert.ok(!ids(trace).includes(id), `${id} must not be raised: ${trace.findings.map((f) => f.message).join(' | ')}`);
const offline = (snapshot: EntrySnapshot): EntrySnapshot => ({
  ...snapshot,
  source: 'manifests',
  services: Object.fromEntries(Object.keys(snapshot.services).map((key) => [key, webSnapshot(key.split('/')[0], true)])),
});
const hop = <K extends 'ingress' | 'route' | 'gateway'>(trace: EntryTrace, kind: K) =>
  trace.hops.find((h) => h.kind === kind) as K extends 'ingress' ? IngressHop : K extends 'route' ? RouteHop : GatewayHop;

describe('entry cases: exactly the findings each must raise', () => {
  for (const c of entryCases) {
    test(c.name, () => {
      const trace = traceOfEntryCase(c);
      assert.deepEqual(ids(trace), c.findings);
      assertValid('EntryTrace', trace, c.name);
      const own = c.findings.map((id) => catalogue[id].level);
      assert.equal(trace.verdict, own.includes('error') ? 'broken' : own.includes('warning') ? 'degraded' : 'ok');
    });
  }
});

describe('ingress', () => {
  test('the healthy Ingress: class, address, rules and TLS in the hop; each backend traced on the port it names', () => {
    const trace = analyzeEntry(ingressSnapshot());
    const ingressHop = hop(trace, 'ingress');
    assert.equal(ingressHop.className, 'nginx');
    assert.equal(ingressHop.controller, 'k8s.io/ingress-nginx');
    assert.deepEqual(ingressHop.addresses, ['203.0.113.20']);
    assert.deepEqual(ingressHop.rules.map((r) => `${r.host} ${r.match} → ${r.backends.join()}`), [
      'shop.example.com / (Prefix) → shop/web:80',
      'shop.example.com /metrics (Exact) → shop/web:metrics',
    ]);
    assert.deepEqual(ingressHop.tls, [{ hosts: ['shop.example.com'], secretName: 'shop-tls', secret: 'found' }]);
    assert.deepEqual(trace.backends.map((b) => [b.name, b.port, b.state, b.trace?.service.name]), [
      ['web', '80', 'found', 'web'],
      ['web', 'metrics', 'found', 'web'],
    ]);
    // port 80 is the Service port named http; `metrics` is the one named metrics (9090).
    assert.deepEqual(hopOf(trace.backends[0]!.trace!, 'frontend').entries.map((e) => e.port), [80]);
    assert.deepEqual(hopOf(trace.backends[1]!.trace!, 'frontend').entries.map((e) => e.port), [9090]);
  });

  test('ingress-backend-port-missing names the port and the ports the Service has; the Service is traced on all of them', () => {
    const trace = traceOfEntryCase(entryCases.find((c) => c.findings.includes('ingress-backend-port-missing'))!);
    expectOne(trace, 'ingress-backend-port-missing', 'port 8080', 'shop/web', 'http (80), metrics (9090)');
    assert.equal(trace.backends[0]!.state, 'port-missing');
    assert.deepEqual(trace.backends[0]!.trace!.service.ports, ['80/TCP', '9090/TCP']);
    assert.ok(!trace.backends[0]!.trace!.findings.some((f) => f.id === 'port-not-found'), 'the missing port is said once, by the Ingress');
    assert.equal(hop(trace, 'ingress').status, 'fail');
  });

  test('near: a port named by its name, or by the number of another port of the Service, is found', () => {
    const byNumber = analyzeEntry(ingressSnapshot(({ ingress }) => (ingress.spec.rules![0]!.http!.paths[0]!.backend.service!.port = { number: 9090 })));
    expectNone(byNumber, 'ingress-backend-port-missing');
    const byName = analyzeEntry(ingressSnapshot(({ ingress }) => (ingress.spec.rules![0]!.http!.paths[0]!.backend.service!.port = { name: 'http' })));
    expectNone(byName, 'ingress-backend-port-missing');
  });

  test('ingress-backend-missing names the rules; near: a resource backend is not a Service and is not claimed missing', () => {
    const trace = traceOfEntryCase(entryCases.find((c) => c.findings.includes('ingress-backend-missing'))!);
    expectOne(trace, 'ingress-backend-missing', 'shop-web', 'shop.example.com / (Prefix)', 'namespace shop');
    assert.equal(trace.backends.find((b) => b.name === 'shop-web')!.trace, null);
    const resource = analyzeEntry(ingressSnapshot(({ ingress }) => (ingress.spec.rules![0]!.http!.paths[0]!.backend = { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } })));
    expectNone(resource, 'ingress-backend-missing');
    assert.ok(hop(resource, 'ingress').notes.some((n) => n.includes('resource backends')));
  });

  test('ingress-class-missing: a named class that does not exist, or no class and no default', () => {
    expectOne(analyzeEntry(ingressSnapshot(({ ingress }) => (ingress.spec.ingressClassName = 'traefik'))), 'ingress-class-missing', 'traefik', 'nginx');
    const none = analyzeEntry(ingressSnapshot(({ ingress }) => delete ingress.spec.ingressClassName));
    expectOne(none, 'ingress-class-missing', 'no IngressClass is marked as the default');
  });

  test('near: no class but a default IngressClass; the deprecated annotation; IngressClasses not readable', () => {
    const byDefault = analyzeEntry(
      ingressSnapshot((parts) => {
        delete parts.ingress.spec.ingressClassName;
        parts.classes = [ingressClass('public', true)];
      }),
    );
    expectNone(byDefault, 'ingress-class-missing');
    assert.equal(hop(byDefault, 'ingress').className, 'public');
    assert.equal(hop(byDefault, 'ingress').classSource, 'default');
    const annotated = analyzeEntry(
      ingressSnapshot(({ ingress }) => {
        delete ingress.spec.ingressClassName;
        ingress.metadata.annotations = { 'kubernetes.io/ingress.class': 'haproxy' };
      }),
    );
    expectNone(annotated, 'ingress-class-missing');
    assert.equal(hop(annotated, 'ingress').classSource, 'annotation');
    const snapshot = ingressSnapshot(({ ingress }) => (ingress.spec.ingressClassName = 'traefik'));
    if (snapshot.entry.kind === 'Ingress') snapshot.entry.ingressClasses = { skipped: 'ingressclasses: forbidden to list (RBAC)' };
    const forbidden = analyzeEntry(snapshot);
    expectNone(forbidden, 'ingress-class-missing');
    assert.ok(hop(forbidden, 'ingress').notes.includes('ingressclasses: forbidden to list (RBAC)'));
  });

  test('ingress-no-address is a warning (degraded); near: an address by hostname, and offline where no controller could answer', () => {
    const pending = analyzeEntry(ingressSnapshot(({ ingress }) => (ingress.status = { loadBalancer: {} })));
    expectOne(pending, 'ingress-no-address', 'shop/shop', 'nginx');
    assert.equal(pending.verdict, 'degraded');
    const hostname = analyzeEntry(ingressSnapshot(({ ingress }) => (ingress.status = { loadBalancer: { ingress: [{ hostname: 'lb.example.net' }] } })));
    expectNone(hostname, 'ingress-no-address');
    assert.deepEqual(hostname.entry.addresses, ['lb.example.net']);
    const manifests = analyzeEntry(offline(ingressSnapshot(({ ingress }) => delete ingress.status)));
    expectNone(manifests, 'ingress-no-address');
    assert.ok(hop(manifests, 'ingress').notes.some((n) => n.startsWith('offline:')));
  });

  test('ingress-tls-secret-missing; near: Secrets not readable (a note), and TLS without secretName (the default certificate)', () => {
    const missing = traceOfEntryCase(entryCases.find((c) => c.findings.includes('ingress-tls-secret-missing'))!);
    const finding = expectOne(missing, 'ingress-tls-secret-missing', 'shop-tls', 'shop.example.com');
    assert.deepEqual(finding.objects[0], { kind: 'Secret', name: 'shop-tls', namespace: 'shop' });
    const forbidden = ingressSnapshot();
    if (forbidden.entry.kind === 'Ingress') forbidden.entry.secrets = { skipped: 'secrets: forbidden to get (RBAC), TLS Secrets not checked' };
    const unknown = analyzeEntry(forbidden);
    expectNone(unknown, 'ingress-tls-secret-missing');
    assert.equal(hop(unknown, 'ingress').tls[0]!.secret, 'unknown');
    const noSecret = ingressSnapshot(({ ingress }) => (ingress.spec.tls = [{ hosts: ['shop.example.com'] }]));
    if (noSecret.entry.kind === 'Ingress') noSecret.entry.secrets = { items: [] };
    const defaultCertificate = analyzeEntry(noSecret);
    expectNone(defaultCertificate, 'ingress-tls-secret-missing');
    assert.equal(hop(defaultCertificate, 'ingress').tls[0]!.secret, 'default-certificate');
  });

  test("a broken backend makes the entry broken, though the Ingress itself is fine", () => {
    const trace = analyzeEntry(
      ingressSnapshot(({ services }) => {
        const web = services['shop/web']!;
        web.endpointSlices = { items: [] };
        web.pods = [];
      }),
    );
    assert.deepEqual(ids(trace), []);
    assert.equal(trace.verdict, 'broken');
  });
});

describe('routes', () => {
  test('the accepted HTTPRoute: parents, Gateway listeners and addresses, the backend traced on its port', () => {
    const trace = analyzeEntry(routeSnapshot());
    const routeHop = hop(trace, 'route');
    assert.deepEqual(routeHop.parents.map((p) => [p.namespace, p.name, p.accepted, p.resolvedRefs]), [['infra', 'public', 'True', 'True']]);
    assert.deepEqual(hop(trace, 'gateway').gateways[0]!.listeners, [{ name: 'http', protocol: 'HTTP', port: 80, hostname: '*.example.com' }]);
    assert.deepEqual(trace.entry.addresses, ['203.0.113.30']);
    assert.deepEqual(trace.backends.map((b) => [b.namespace, b.name, b.port, b.state]), [['shop', 'web', '80', 'found']]);
    assert.equal(trace.verdict, 'ok');
  });

  test('route-not-accepted gives the reason; with no status at all, it says no controller reported', () => {
    const refused = traceOfEntryCase(entryCases.find((c) => c.findings.includes('route-not-accepted'))!);
    expectOne(refused, 'route-not-accepted', 'infra/public', 'NotAllowedByListeners', 'allowedRoutes');
    const silent = analyzeEntry(routeSnapshot(({ route }) => delete route.status));
    expectOne(silent, 'route-not-accepted', 'status.parents is empty');
  });

  test('near: one of two parents accepts; offline, where no controller could answer', () => {
    const two = analyzeEntry(
      routeSnapshot(({ route }) => {
        route.spec.parentRefs!.push({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'internal', namespace: 'infra' });
        route.status!.parents!.push({ parentRef: route.spec.parentRefs![1]!, controllerName: 'example.com/gateway-controller', conditions: [condition('Accepted', 'False', 'NoMatchingParent')] });
      }),
    );
    expectNone(two, 'route-not-accepted');
    const manifests = analyzeEntry(offline(routeSnapshot(({ route }) => delete route.status)));
    expectNone(manifests, 'route-not-accepted');
    expectNone(manifests, 'gateway-not-programmed');
    assert.ok(hop(manifests, 'route').notes.some((n) => n.startsWith('offline:')));
  });

  test('route-refs-unresolved gives the reason; near: ResolvedRefs True', () => {
    expectOne(traceOfEntryCase(entryCases.find((c) => c.findings.includes('route-refs-unresolved'))!), 'route-refs-unresolved', 'BackendNotFound', 'web-v2');
    expectNone(analyzeEntry(routeSnapshot()), 'route-refs-unresolved');
  });

  test('route-backend-missing; near: a backendRef of another kind is not followed (a note)', () => {
    expectOne(traceOfEntryCase(entryCases.find((c) => c.findings.includes('route-backend-missing'))!), 'route-backend-missing', 'web-v2', 'namespace shop');
    const other = analyzeEntry(routeSnapshot(({ route }) => (route.spec.rules![0]!.backendRefs = [{ group: 'example.com', kind: 'Bucket', name: 'static' }])));
    expectNone(other, 'route-backend-missing');
    assert.ok(hop(other, 'route').notes.some((n) => n.includes('not Services')));
  });

  test('route-backend-port-missing; near: the other port of the Service (a GRPCRoute to 9090)', () => {
    expectOne(traceOfEntryCase(entryCases.find((c) => c.findings.includes('route-backend-port-missing'))!), 'route-backend-port-missing', '8080', 'http (80), metrics (9090)');
    const grpc = analyzeEntry(routeSnapshot(() => {}, 'GRPCRoute'));
    expectNone(grpc, 'route-backend-port-missing');
    assert.deepEqual(hop(grpc, 'route').rules.map((r) => r.match), ['shop.Cart/Get']);
  });

  test('route-reference-grant-missing; near: a ReferenceGrant that allows it, and one for another kind that does not', () => {
    const cross = (grants: ReturnType<typeof referenceGrant>[]) =>
      analyzeEntry(
        routeSnapshot((parts) => {
          parts.route.spec.rules![0]!.backendRefs![0]!.namespace = 'payments';
          parts.services['payments/web'] = webSnapshot('payments');
          parts.grants = grants;
        }),
      );
    const missing = cross([]);
    expectOne(missing, 'route-reference-grant-missing', 'payments/web', 'namespace payments', 'kind: HTTPRoute, namespace: shop');
    assert.equal(missing.backends[0]!.state, 'not-permitted');
    assert.equal(missing.backends[0]!.trace, null);
    const granted = cross([referenceGrant('shop', 'payments')]);
    expectNone(granted, 'route-reference-grant-missing');
    assert.equal(granted.backends[0]!.trace?.service.namespace, 'payments');
    expectOne(cross([referenceGrant('shop', 'payments', 'GRPCRoute')]), 'route-reference-grant-missing');
    const named = referenceGrant('shop', 'payments');
    named.spec.to = [{ group: '', kind: 'Service', name: 'billing' }];
    expectOne(cross([named]), 'route-reference-grant-missing');
  });

  test('gateway-not-programmed says what is wrong; near: a programmed Gateway with an address', () => {
    expectOne(traceOfEntryCase(entryCases.find((c) => c.findings.includes('gateway-not-programmed'))!), 'gateway-not-programmed', 'infra/public', 'is not Programmed (AddressNotAssigned', 'has no address', 'example');
    expectNone(analyzeEntry(routeSnapshot()), 'gateway-not-programmed');
  });

  test('route-hostname-mismatch; near: a deeper host under a wildcard listener, a listener without hostname, a sectionName that picks a matching listener', () => {
    expectOne(traceOfEntryCase(entryCases.find((c) => c.findings.includes('route-hostname-mismatch'))!), 'route-hostname-mismatch', 'shop.example.org', '*.example.com');
    expectNone(analyzeEntry(routeSnapshot(({ route }) => (route.spec.hostnames = ['eu.shop.example.com']))), 'route-hostname-mismatch');
    expectNone(analyzeEntry(routeSnapshot(({ route, gateways }) => {
      route.spec.hostnames = ['shop.example.org'];
      delete gateways[0]!.spec.listeners![0]!.hostname;
    })), 'route-hostname-mismatch');
    const sections = analyzeEntry(
      routeSnapshot(({ route, gateways }) => {
        route.spec.hostnames = ['shop.example.org'];
        gateways[0]!.spec.listeners!.push({ name: 'org', protocol: 'HTTP', port: 80, hostname: 'shop.example.org' });
        route.spec.parentRefs![0]!.sectionName = 'org';
        route.status!.parents![0]!.parentRef.sectionName = 'org';
      }),
    );
    expectNone(sections, 'route-hostname-mismatch');
    expectNone(sections, 'route-not-accepted');
  });

  test('hostname intersection as the Gateway API defines it', () => {
    assert.equal(hostnamesIntersect('*.example.com', 'a.example.com'), true);
    assert.equal(hostnamesIntersect('*.example.com', 'b.a.example.com'), true);
    assert.equal(hostnamesIntersect('*.example.com', 'example.com'), false);
    assert.equal(hostnamesIntersect('shop.example.com', '*.example.com'), true);
    assert.equal(hostnamesIntersect('*.example.com', '*.shop.example.com'), true);
    assert.equal(hostnamesIntersect('Shop.Example.com', 'shop.example.com'), true);
    assert.equal(hostnamesIntersect('a.example.com', 'b.example.com'), false);
    assert.equal(hostnamesIntersect(undefined, 'b.example.com'), true);
  });

  test('a parent Gateway that does not exist is said in a note (route-not-accepted tells the rest)', () => {
    const trace = analyzeEntry(routeSnapshot((parts) => (parts.gateways = [])));
    assert.deepEqual(hop(trace, 'gateway').gateways.map((g) => g.found), [false]);
    assert.ok(hop(trace, 'gateway').notes.includes('Gateway infra/public does not exist'));
  });
});

describe("a Service's frontend hop: the Ingresses and routes in front of it", () => {
  const withReferrers = (change: (parts: { ingress: ReturnType<typeof ingress>; route: ReturnType<typeof httpRoute> }) => void = () => {}) => {
    const parts = { ingress: ingress(), route: httpRoute() };
    change(parts);
    return analyze({ ...webSnapshot(), referrers: { ingresses: { items: [parts.ingress] }, httpRoutes: { items: [parts.route] }, grpcRoutes: { items: [] } } });
  };

  test('lists each Ingress and route with the port it names; no finding when the ports exist', () => {
    const trace = withReferrers();
    assert.deepEqual(hopOf(trace, 'frontend').referencedBy, [
      { kind: 'Ingress', namespace: 'shop', name: 'shop', port: '80' },
      { kind: 'Ingress', namespace: 'shop', name: 'shop', port: 'metrics' },
      { kind: 'HTTPRoute', namespace: 'shop', name: 'web', port: '80' },
    ]);
    assert.equal(trace.verdict, 'ok');
    assertValid('Trace', trace);
  });

  test('a port the Service does not have raises the same finding id as the entry trace, in the frontend hop', () => {
    const trace = withReferrers(({ ingress, route }) => {
      ingress.spec.rules![0]!.http!.paths[0]!.backend.service!.port = { number: 8080 };
      route.spec.rules![0]!.backendRefs![0]!.port = 8443;
    });
    const found = trace.findings.filter((f) => f.id === 'ingress-backend-port-missing' || f.id === 'route-backend-port-missing');
    assert.deepEqual(found.map((f) => [f.id, f.hop]), [['ingress-backend-port-missing', 'frontend'], ['route-backend-port-missing', 'frontend']]);
    assert.ok(found[0]!.message.includes('port 8080'));
    assert.equal(hopOf(trace, 'frontend').status, 'fail');
    assert.equal(hopOf(trace, 'frontend').referencedBy![0]!.problem, 'the Service has no port 8080');
  });

  test('near: entries that send to another Service, or to a Service of that name in another namespace, are not listed', () => {
    const trace = withReferrers(({ ingress, route }) => {
      ingress.spec.rules![0]!.http!.paths = [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'cart', port: { number: 8080 } } } }];
      route.spec.rules![0]!.backendRefs![0]!.namespace = 'payments';
    });
    assert.deepEqual(hopOf(trace, 'frontend').referencedBy, []);
    assert.equal(trace.verdict, 'ok');
  });

  test('forbidden lists are notes; without referrers looked up, no list at all', () => {
    const trace = analyze({ ...webSnapshot(), referrers: { ingresses: { skipped: 'ingresses: forbidden to list (RBAC)' }, httpRoutes: { items: [] }, grpcRoutes: { items: [] } } });
    assert.ok(hopOf(trace, 'frontend').notes.includes('ingresses: forbidden to list (RBAC)'));
    assert.equal(hopOf(analyze(webSnapshot()), 'frontend').referencedBy, undefined);
  });
});
