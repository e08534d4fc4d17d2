// What the API server would fill in for objects read from manifests: only deterministic defaults, never
// an allocated IP or port; values it would reject are refused (src/cluster/offline.ts).

import { usageError } from '../errors.js';
import { effectiveTargetPort } from '../kube/pods.js';
import type { Container, EndpointPort, EndpointSlice, Pod, PodSpec, Protocol, Service } from '../kube/types.js';

// Values the API server would reject are refused here too, rather than traced as if valid.
const serviceTypes = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const protocols = ['TCP', 'UDP', 'SCTP'];

function validated(service: Service): Service {
  const spec = service.spec ?? {};
  const where = `Service ${service.metadata.namespace ?? ''}/${service.metadata.name}`;
  if (spec.type !== undefined && !serviceTypes.includes(spec.type)) {
    throw usageError(`${where}: spec.type "${spec.type}" is not a Service type`, `use one of ${serviceTypes.join(', ')} (the API server is case-sensitive)`);
  }
  for (const port of spec.ports ?? []) {
    if (port.protocol !== undefined && !protocols.includes(port.protocol)) {
      throw usageError(`${where}: port ${port.name ?? port.port} has protocol "${port.protocol}"`, `use one of ${protocols.join(', ')} (upper case)`);
    }
  }
  return service;
}

export function withServiceDefaults(service: Service): Service {
  const spec = validated(service).spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const ports = spec.ports?.map((port) => ({ ...port, protocol: port.protocol ?? 'TCP', targetPort: effectiveTargetPort(port) }));
  return {
    ...service,
    spec: {
      ...spec,
      type,
      sessionAffinity: spec.sessionAffinity ?? 'None',
      ...(ports ? { ports } : {}),
      ...(type !== 'ExternalName' ? { internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster' } : {}),
      ...(type === 'NodePort' || type === 'LoadBalancer' ? { externalTrafficPolicy: spec.externalTrafficPolicy ?? 'Cluster' } : {}),
    },
  };
}

export function withPodDefaults(pod: Pod): Pod {
  return { ...pod, spec: withContainerDefaults(pod.spec ?? { containers: [] }) };
}

export function withContainerDefaults(spec: PodSpec): PodSpec {
  const withPorts = (container: Container): Container =>
    container.ports ? { ...container, ports: container.ports.map((port) => withPortProtocol(port)) } : container;
  return {
    ...spec,
    containers: (spec.containers ?? []).map(withPorts),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(withPorts) } : {}),
  };
}

export function withEndpointSliceDefaults(slice: EndpointSlice): EndpointSlice {
  return slice.ports ? { ...slice, ports: slice.ports.map((port: EndpointPort) => withPortProtocol(port)) } : slice;
}

export function withPortProtocol<T extends { protocol?: Protocol }>(port: T): T {
  return { ...port, protocol: port.protocol ?? 'TCP' };
}
