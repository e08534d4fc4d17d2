// An entry trace's snapshot: which backend Services the entry sends to (read live or looked up in the
// manifests alike), and the backends' snapshots inside it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleEntrySnapshot, ingressBackendServices, routeBackendServices } from '../../../src/snapshot/entry.js';
import { httpRoute, ingress, webSnapshot } from '../../support/entries.js';

describe('the backend Services of an entry', () => {
  test('an Ingress: each Service once, however many rules send to it; a default backend counts', () => {
    const shop = ingress();
    assert.deepEqual(ingressBackendServices(shop, 'shop'), ['shop/web']);
    shop.spec.defaultBackend = { service: { name: 'fallback', port: { number: 80 } } };
    assert.deepEqual(ingressBackendServices(shop, 'shop').sort(), ['shop/fallback', 'shop/web']);
  });

  test('a route: Service backendRefs in their own namespace, and the namespaces a ReferenceGrant must open', () => {
    const route = httpRoute();
    assert.deepEqual(routeBackendServices('HTTPRoute', route, 'shop'), { keys: ['shop/web'], foreignNamespaces: [] });
    route.spec.rules![0]!.backendRefs!.push({ group: '', kind: 'Service', name: 'web', namespace: 'payments', port: 80, weight: 1 });
    route.spec.rules![0]!.backendRefs!.push({ group: 'example.com', kind: 'Bucket', name: 'assets' });
    assert.deepEqual(routeBackendServices('HTTPRoute', route, 'shop'), { keys: ['shop/web', 'payments/web'], foreignNamespaces: ['payments'] });
  });
});

describe('assembleEntrySnapshot', () => {
  test('a backend’s own referrers are left out: the entry is the referrer', () => {
    const web = { ...webSnapshot(), referrers: { ingresses: { items: [ingress()] }, httpRoutes: { items: [] }, grpcRoutes: { items: [] } } };
    const snapshot = assembleEntrySnapshot('manifests', { kind: 'HTTPRoute', route: httpRoute(), gateways: { items: [] }, referenceGrants: { items: [] } }, { 'shop/web': web });
    assert.equal(snapshot.source, 'manifests');
    assert.equal(snapshot.services['shop/web']!.referrers, undefined);
    assert.equal(snapshot.services['shop/web']!.service, web.service);
  });
});
