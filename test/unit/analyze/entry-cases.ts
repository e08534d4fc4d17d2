// Entry traces (ingress/NAME, httproute/NAME, grpcroute/NAME) with exactly the findings each must
// raise. Together with the Service cases of findings.test.ts they raise every id of the catalogue.

import type { FindingId } from '../../../src/analyze/catalogue.js';
import type { EntryTrace } from '../../../src/analyze/entry-model.js';
import { analyzeEntry } from '../../../src/analyze/entry.js';
import type { EntrySnapshot } from '../../../src/snapshot.js';
import { condition, ingressSnapshot, routeSnapshot, webSnapshot } from '../../support/entries.js';

export interface EntryCase {
  name: string;
  snapshot: () => EntrySnapshot;
  findings: FindingId[]; // the entry's own findings, in trace order (errors, warnings, infos)
}

export const entryCases: EntryCase[] = [
  { name: 'a healthy Ingress (class, address, TLS Secret, both backends)', snapshot: () => ingressSnapshot(), findings: [] },
  {
    name: 'an Ingress whose backend names port 8080 of a Service with 80 and 9090',
    snapshot: () => ingressSnapshot(({ ingress }) => (ingress.spec.rules![0]!.http!.paths[0]!.backend.service!.port = { number: 8080 })),
    findings: ['ingress-backend-port-missing'],
  },
  {
    name: 'an Ingress whose backend Service does not exist',
    snapshot: () => ingressSnapshot(({ ingress }) => (ingress.spec.rules![0]!.http!.paths[0]!.backend.service!.name = 'shop-web')),
    findings: ['ingress-backend-missing'],
  },
  {
    name: 'an Ingress of a class nobody installed',
    snapshot: () => ingressSnapshot(({ ingress }) => (ingress.spec.ingressClassName = 'traefik')),
    findings: ['ingress-class-missing'],
  },
  {
    name: 'an Ingress no controller has admitted',
    snapshot: () => ingressSnapshot(({ ingress }) => (ingress.status = { loadBalancer: {} })),
    findings: ['ingress-no-address'],
  },
  {
    name: 'an Ingress whose TLS Secret does not exist',
    snapshot: () => {
      const snapshot = ingressSnapshot();
      if (snapshot.entry.kind === 'Ingress') snapshot.entry.secrets = { items: [] };
      return snapshot;
    },
    findings: ['ingress-tls-secret-missing'],
  },
  { name: 'an HTTPRoute accepted by a programmed Gateway', snapshot: () => routeSnapshot(), findings: [] },
  {
    name: 'an HTTPRoute its Gateway does not accept',
    snapshot: () =>
      routeSnapshot(({ route }) => {
        route.status!.parents![0]!.conditions = [
          condition('Accepted', 'False', 'NotAllowedByListeners', 'No listener allows routes from namespace shop'),
          condition('ResolvedRefs', 'True', 'ResolvedRefs'),
        ];
      }),
    findings: ['route-not-accepted'],
  },
  {
    name: 'an HTTPRoute whose parent cannot resolve its backendRefs',
    snapshot: () =>
      routeSnapshot(({ route }) => {
        route.status!.parents![0]!.conditions = [condition('Accepted', 'True', 'Accepted'), condition('ResolvedRefs', 'False', 'BackendNotFound', 'Service shop/web-v2 not found')];
      }),
    findings: ['route-refs-unresolved'],
  },
  {
    name: 'an HTTPRoute whose backendRef Service does not exist',
    snapshot: () => routeSnapshot(({ route }) => (route.spec.rules![0]!.backendRefs![0]!.name = 'web-v2')),
    findings: ['route-backend-missing'],
  },
  {
    name: 'an HTTPRoute whose backendRef names port 8080 of a Service with 80 and 9090',
    snapshot: () => routeSnapshot(({ route }) => (route.spec.rules![0]!.backendRefs![0]!.port = 8080)),
    findings: ['route-backend-port-missing'],
  },
  {
    name: 'an HTTPRoute sending to a Service of another namespace without a ReferenceGrant',
    snapshot: () =>
      routeSnapshot(({ route, services }) => {
        route.spec.rules![0]!.backendRefs![0]!.namespace = 'payments';
        services['payments/web'] = webSnapshot('payments');
      }),
    findings: ['route-reference-grant-missing'],
  },
  {
    name: 'an HTTPRoute whose Gateway is not programmed and has no address',
    snapshot: () =>
      routeSnapshot(({ gateways }) => {
        gateways[0]!.status = { conditions: [condition('Accepted', 'True', 'Accepted'), condition('Programmed', 'False', 'AddressNotAssigned', 'No addresses have been assigned')] };
      }),
    findings: ['gateway-not-programmed'],
  },
  {
    name: 'an HTTPRoute for a host its Gateway listens for under another domain',
    snapshot: () => routeSnapshot(({ route }) => (route.spec.hostnames = ['shop.example.org'])),
    findings: ['route-hostname-mismatch'],
  },
  { name: 'a GRPCRoute accepted by a programmed Gateway', snapshot: () => routeSnapshot(() => {}, 'GRPCRoute'), findings: [] },
];

export const traceOfEntryCase = (c: EntryCase): EntryTrace => analyzeEntry(c.snapshot());
