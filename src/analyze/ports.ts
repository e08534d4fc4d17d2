// Does each Service port reach a container port? (target-port-missing, target-port-not-declared,
// protocol-mismatch). Resolution follows the EndpointSlice controller: name and protocol must match.

import { declaredPorts, effectiveTargetPort, resolveTargetPort } from '../kube/pods.js';
import type { Pod, Service, ServicePort } from '../kube/types.js';
import { raise } from './catalogue.js';
import type { Finding } from './model.js';
import { podRef, serviceRef } from './refs.js';
import { portLabel } from './service-ports.js';

export function analyzePorts(service: Service, ports: ServicePort[], pods: Pod[]): Finding[] {
  if (pods.length === 0) return [];
  return ports.flatMap((servicePort) => analyzePort(service, servicePort, pods));
}

function analyzePort(service: Service, servicePort: ServicePort, pods: Pod[]): Finding[] {
  const label = portLabel(servicePort);
  const resolutions = pods.map((pod) => ({ pod, resolution: resolveTargetPort(pod, servicePort) }));
  const findings: Finding[] = [];

  const missing = resolutions.filter((r) => r.resolution.kind === 'missing-name');
  if (missing.length > 0) {
    const all = missing.length === pods.length;
    findings.push(
      raise(
        'target-port-missing',
        { targetPort: String(effectiveTargetPort(servicePort)), servicePort: label, pods: missing.map((r) => r.pod.metadata.name), all },
        [serviceRef(service), ...missing.map((r) => podRef(r.pod))],
        all ? 'error' : 'warning',
      ),
    );
  }

  const mismatch = resolutions.find((r) => r.resolution.kind === 'protocol-mismatch');
  if (mismatch && mismatch.resolution.kind === 'protocol-mismatch') {
    const { container, containerPort, protocol } = mismatch.resolution;
    findings.push(
      raise(
        'protocol-mismatch',
        {
          servicePort: label,
          serviceProtocol: servicePort.protocol ?? 'TCP',
          containerPort: `${container}:${containerPort}`,
          containerProtocol: protocol,
        },
        [serviceRef(service), podRef(mismatch.pod)],
      ),
    );
  }

  const undeclared = resolutions.every((r) => r.resolution.kind === 'resolved' && !r.resolution.declared);
  if (undeclared) {
    const declared = [...new Set(pods.flatMap((pod) => declaredPorts(pod).map((p) => `${p.container}:${p.containerPort}`)))];
    findings.push(
      raise('target-port-not-declared', { targetPort: Number(effectiveTargetPort(servicePort)), servicePort: label, declared }, [
        serviceRef(service),
      ]),
    );
  }
  return findings;
}
