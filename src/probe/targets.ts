// Pure: which connections `--probe` opens. The ready, not terminating endpoints of each probed
// Service port (the EndpointSlice controller has resolved each pod's target port, as forward reads
// it), at most `limit` pods in name order; UDP and SCTP ports are skipped, since the port-forward
// API carries TCP only.

import { portLabel, selectServicePorts } from '../analyze/service-ports.js';
import { backendsFor, isUsable } from '../forward/backends.js';
import type { EndpointSlice, Service } from '../kube/types.js';
import type { ProbeTarget } from './model.js';

export interface ProbePlan {
  targets: ProbeTarget[];
  notProbed: string[];
  skipped: string[];
}

export function probeTargets(service: Service, slices: EndpointSlice[], options: { port?: string; limit: number }): ProbePlan {
  const skipped: string[] = [];
  if (service.spec.type === 'ExternalName') return { targets: [], notProbed: [], skipped: ['an ExternalName Service has no pods to probe'] };
  const { ports } = selectServicePorts(service, options.port);
  const perPort = new Map<string, Map<string, number>>();
  for (const servicePort of ports) {
    const protocol = servicePort.protocol ?? 'TCP';
    if (protocol !== 'TCP') {
      skipped.push(`port ${portLabel(servicePort)} (${servicePort.port}/${protocol}) not probed: port-forward carries TCP only`);
      continue;
    }
    const usable = backendsFor(servicePort, slices).filter(isUsable);
    perPort.set(portLabel(servicePort), new Map(usable.map((b) => [b.pod, b.targetPort!])));
  }
  const pods = [...new Set([...perPort.values()].flatMap((byPod) => [...byPod.keys()]))].sort();
  if (perPort.size > 0 && pods.length === 0) skipped.push('no ready pod endpoint to probe');
  const probed = pods.slice(0, options.limit);
  const targets = probed.flatMap((pod) =>
    [...perPort].flatMap(([servicePort, byPod]) => (byPod.has(pod) ? [{ pod, servicePort, port: byPod.get(pod)! }] : [])),
  );
  return { targets, notProbed: pods.slice(options.limit), skipped };
}
