// The backend Services an Ingress or route names, grouped by Service and port, and whether each
// exists and has that port. Shared by the ingress and route hops and by a Service's own frontend hop.

import type { Service, ServicePort } from '../kube/types.js';

export interface BackendReference {
  namespace: string;
  name: string;
  port: string; // a port number or name, as the entry writes it
  from: string[]; // the rules that send here
  state: 'found' | 'missing' | 'port-missing' | 'not-permitted';
  servicePorts: string[]; // the Service's ports (`http (80)`, `443`), for the hint
}

// The Service port an entry names: a number is the Service's `port` (never the targetPort), a name its `name`.
export function servicePortNamed(service: Service, port: string): ServicePort | undefined {
  const ports = service.spec.ports ?? [];
  return /^\d+$/.test(port) ? ports.find((p) => p.port === Number(port)) : ports.find((p) => p.name === port);
}

export function describePorts(service: Service): string[] {
  return (service.spec.ports ?? []).map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port)));
}

export const serviceKey = (namespace: string, name: string) => `${namespace}/${name}`;

export function findBackends(
  named: Array<{ namespace: string; name: string; port: string; from: string }>,
  services: Record<string, Service | undefined>,
): BackendReference[] {
  const byKey = new Map<string, BackendReference>();
  for (const reference of named) {
    const key = `${reference.namespace}/${reference.name}:${reference.port}`;
    const known = byKey.get(key);
    if (known) {
      if (!known.from.includes(reference.from)) known.from.push(reference.from);
      continue;
    }
    const service = services[serviceKey(reference.namespace, reference.name)];
    const state = !service ? 'missing' : servicePortNamed(service, reference.port) ? 'found' : 'port-missing';
    byKey.set(key, {
      namespace: reference.namespace,
      name: reference.name,
      port: reference.port,
      from: [reference.from],
      state,
      servicePorts: service ? describePorts(service) : [],
    });
  }
  return [...byKey.values()];
}
