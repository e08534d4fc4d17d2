// A Service's own trace, frontend hop: the Ingresses and Gateway API routes of its namespace that
// send to it, and whether the port each names is a port of the Service (a mismatch raises the same
// finding as the entry's own trace, in the frontend hop). Pure.

import type { Route } from '../kube/entries.js';
import { lookupItems as items, type Lookup, type Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import { describePorts, servicePortNamed } from './entry-backends.js';
import { ingressBackends, ingressPort, ingressRef } from './ingress.js';
import type { Finding, Referrer } from './model.js';
import { isServiceBackend, routeBackendRefs, routeRef } from './route.js';
import { serviceRef } from './refs.js';

export function analyzeReferrers(snapshot: Snapshot): { referencedBy: Referrer[]; findings: Finding[]; notes: string[] } {
  const { service, referrers } = snapshot;
  if (!referrers) return { referencedBy: [], findings: [], notes: [] };
  const namespace = service.metadata.namespace ?? 'default';
  const name = service.metadata.name;
  const referencedBy: Referrer[] = [];
  const findings: Finding[] = [];
  const notes = [referrers.ingresses, referrers.httpRoutes, referrers.grpcRoutes].flatMap((l) => ('skipped' in l ? [l.skipped] : []));
  const ports = describePorts(service);
  const add = (referrer: Referrer, finding: () => Finding) => {
    if (referencedBy.some((r) => r.kind === referrer.kind && r.name === referrer.name && r.port === referrer.port)) return;
    const missing = servicePortNamed(service, referrer.port) === undefined;
    referencedBy.push(missing ? { ...referrer, problem: `the Service has no port ${referrer.port || '<none>'}` } : referrer);
    if (missing) findings.push({ ...finding(), hop: 'frontend' });
  };

  for (const ingress of items(referrers.ingresses)) {
    if ((ingress.metadata.namespace ?? namespace) !== namespace) continue;
    for (const { backend } of ingressBackends(ingress)) {
      if (backend.service?.name !== name) continue;
      const port = ingressPort(backend);
      add({ kind: 'Ingress', namespace, name: ingress.metadata.name, port }, () =>
        raise('ingress-backend-port-missing', { ingress: `${namespace}/${ingress.metadata.name}`, service: `${namespace}/${name}`, port, ports }, [serviceRef(service), ingressRef(ingress)]),
      );
    }
  }
  const routes = (kind: 'HTTPRoute' | 'GRPCRoute', lookup: Lookup<Route>) => {
    for (const route of items(lookup)) {
      for (const { ref, namespace: target } of routeBackendRefs(kind, route)) {
        if (!isServiceBackend(ref) || ref.name !== name || target !== namespace) continue;
        const port = ref.port === undefined ? '' : String(ref.port);
        const routeNamespace = route.metadata.namespace ?? namespace;
        add({ kind, namespace: routeNamespace, name: route.metadata.name, port }, () =>
          raise('route-backend-port-missing', { route: `${kind.toLowerCase()}/${route.metadata.name}`, service: `${namespace}/${name}`, port: port || '<none>', ports }, [serviceRef(service), routeRef(kind, route)]),
        );
      }
    }
  };
  routes('HTTPRoute', referrers.httpRoutes);
  routes('GRPCRoute', referrers.grpcRoutes);
  return { referencedBy, findings, notes };
}
