// Ingresses, IngressClasses, Gateways, HTTPRoutes, GRPCRoutes and ReferenceGrants shaped exactly as
// kube-apiserver 1.34 (with the Gateway API v1.4 CRDs and their defaults) returns them, and the entry
// snapshots the gatherer makes of them. The backend Service is shop/web of test/fixtures/cluster/healthy-web.

import type { Condition, Gateway, Ingress, IngressClass, ReferenceGrant, Route } from '../../src/kube/entries.js';
import type { EntrySnapshot, Snapshot } from '../../src/snapshot.js';
import { assembleEntrySnapshot } from '../../src/snapshot/entry.js';
import { loadFixture, offlineSnapshotOf, snapshotOf } from './snapshot.js';

const meta = (name: string, namespace: string | undefined, uid: string) => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: `0c6f1d2e-${uid}-4a1b-9c3d-5e6f7a8b9c0d`,
  resourceVersion: '51230',
  generation: 1,
  creationTimestamp: '2025-11-20T09:05:00Z',
});

const condition = (type: string, status: Condition['status'], reason: string, message = ''): Condition => ({
  type,
  status,
  reason,
  message,
  observedGeneration: 1,
  lastTransitionTime: '2025-11-20T09:05:02Z',
});

export function ingress(): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta('shop', 'shop', '1111'),
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
              { path: '/metrics', pathType: 'Exact', backend: { service: { name: 'web', port: { name: 'metrics' } } } },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.20' }] } },
  };
}

export function ingressClass(name = 'nginx', isDefault = false): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { ...meta(name, undefined, '2222'), ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller: 'k8s.io/ingress-nginx' },
  };
}

const parentRef = (name: string, namespace?: string) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name, ...(namespace ? { namespace } : {}) });

// An HTTPRoute accepted by its Gateway, as the CRD's defaults and a controller leave it.
export function httpRoute(): Route {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta('web', 'shop', '3333'),
    spec: {
      parentRefs: [parentRef('public', 'infra')],
      hostnames: ['shop.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ group: '', kind: 'Service', name: 'web', port: 80, weight: 1 }],
        },
      ],
    },
    status: {
      parents: [
        {
          parentRef: parentRef('public', 'infra'),
          controllerName: 'example.com/gateway-controller',
          conditions: [condition('Accepted', 'True', 'Accepted', 'Route is accepted'), condition('ResolvedRefs', 'True', 'ResolvedRefs', 'Resolved all the Object references for the Route')],
        },
      ],
    },
  };
}

export function grpcRoute(): Route {
  const route = httpRoute();
  return {
    ...route,
    kind: 'GRPCRoute',
    metadata: meta('cart-grpc', 'shop', '4444'),
    spec: { ...route.spec, rules: [{ matches: [{ method: { type: 'Exact', service: 'shop.Cart', method: 'Get' } }], backendRefs: [{ group: '', kind: 'Service', name: 'web', port: 9090, weight: 1 }] }] },
  };
}

export function gateway(): Gateway {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: meta('public', 'infra', '5555'),
    spec: {
      gatewayClassName: 'example',
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80, hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } }],
    },
    status: {
      addresses: [{ type: 'IPAddress', value: '203.0.113.30' }],
      conditions: [condition('Accepted', 'True', 'Accepted'), condition('Programmed', 'True', 'Programmed')],
      listeners: [{ name: 'http', attachedRoutes: 1, conditions: [condition('Programmed', 'True', 'Programmed')] }],
    },
  };
}

export function referenceGrant(fromNamespace: string, namespace: string, kind = 'HTTPRoute'): ReferenceGrant {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: meta(`from-${fromNamespace}`, namespace, '6666'),
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind, namespace: fromNamespace }], to: [{ group: '', kind: 'Service' }] },
  };
}

// The backend shop/web (healthy), and the same Service moved to another namespace.
export function webSnapshot(namespace = 'shop', offline = false): Snapshot {
  const fixture = loadFixture('healthy-web');
  if (namespace !== 'shop') {
    fixture.service.metadata.namespace = namespace;
    for (const pod of fixture.pods.items) pod.metadata.namespace = namespace;
    for (const slice of fixture.endpointSlices.items) slice.metadata.namespace = namespace;
  }
  return offline ? offlineSnapshotOf(fixture) : snapshotOf(fixture);
}

export function ingressSnapshot(change: (parts: { ingress: Ingress; classes: IngressClass[]; services: Record<string, Snapshot> }) => void = () => {}): EntrySnapshot {
  const parts = { ingress: ingress(), classes: [ingressClass()], services: { 'shop/web': webSnapshot() } as Record<string, Snapshot> };
  change(parts);
  return assembleEntrySnapshot(
    'cluster',
    { kind: 'Ingress', ingress: parts.ingress, ingressClasses: { items: parts.classes }, secrets: { items: [{ namespace: 'shop', name: 'shop-tls' }] } },
    parts.services,
  );
}

export function routeSnapshot(
  change: (parts: { route: Route; gateways: Gateway[]; grants: ReferenceGrant[]; services: Record<string, Snapshot> }) => void = () => {},
  kind: 'HTTPRoute' | 'GRPCRoute' = 'HTTPRoute',
): EntrySnapshot {
  const parts = { route: kind === 'HTTPRoute' ? httpRoute() : grpcRoute(), gateways: [gateway()], grants: [] as ReferenceGrant[], services: { 'shop/web': webSnapshot() } as Record<string, Snapshot> };
  change(parts);
  return assembleEntrySnapshot('cluster', { kind, route: parts.route, gateways: { items: parts.gateways }, referenceGrants: { items: parts.grants } }, parts.services);
}

export { condition };
