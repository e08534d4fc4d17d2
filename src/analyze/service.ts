// The Service as the trace's header shows it (type, addresses, ports, selector, manifest), and what
// every hop asks of it. Pure.

import { manifestOriginOf } from '../kube/manifest-origin.js';
import type { Service } from '../kube/types.js';
import type { ServiceSummary } from './model.js';
import { formatServicePort } from './service-ports.js';

// A manifest leaves the ClusterIP to the API server, which assigns it on creation.
export const unassigned = '<unassigned>';

export function isHeadless(service: Service): boolean {
  return service.spec.clusterIP === 'None';
}

export function serviceSummary(service: Service): ServiceSummary {
  const spec = service.spec;
  const ingress = (service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '');
  const external = [
    ...(spec.type === 'ExternalName' ? [spec.externalName ?? '<none>'] : []),
    ...(spec.type === 'LoadBalancer' ? (ingress.length > 0 ? ingress : ['<pending>']) : []),
    ...(spec.externalIPs ?? []),
  ];
  const summary: ServiceSummary = {
    namespace: service.metadata.namespace ?? 'default',
    name: service.metadata.name,
    type: spec.type ?? 'ClusterIP',
    external,
    ports: (spec.ports ?? []).map(formatServicePort),
  };
  if (spec.clusterIP) summary.clusterIP = spec.clusterIP;
  else if (spec.type !== 'ExternalName') summary.clusterIP = unassigned;
  if (spec.selector) summary.selector = spec.selector;
  const manifest = manifestOriginOf(service);
  if (manifest) summary.manifest = { file: manifest.file, line: manifest.line };
  return summary;
}
