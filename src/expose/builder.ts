// The Service to create, from the plan and the choices (flags or wizard). Only what expose decides
// is written; the API server fills in the rest (clusterIP, nodePorts, policies), as it does for kubectl.

import { usageError } from '../errors.js';
import type { Service, ServicePort, ServiceSpec } from '../kube/types.js';
import { checkNodePorts, type Choices, type Plan } from './plan.js';
import type { ExposeRequest } from './request.js';

export function buildService(plan: Plan, request: ExposeRequest, choices: Choices): Service {
  const { workload } = plan;
  if (choices.ports.length === 0) throw usageError('a Service needs at least one port', 'pick a port, or pass --port');
  checkNodePorts(choices.ports.length, request);
  const outside = choices.kind === 'NodePort' || choices.kind === 'LoadBalancer';
  if (!outside && (request.nodePorts.length > 0 || request.externalTrafficPolicy)) {
    throw usageError(`--node-port and --external-traffic-policy need a NodePort or LoadBalancer Service, not ${choices.kind}`, 'choose NodePort or LoadBalancer');
  }
  const ports: ServicePort[] = choices.ports.map((port, index) => {
    const nodePort = outside ? request.nodePorts[index] : undefined;
    return nodePort === undefined ? port : { ...port, nodePort };
  });
  const spec: ServiceSpec = {
    type: choices.kind === 'Headless' ? 'ClusterIP' : choices.kind,
    ...(choices.kind === 'Headless' ? { clusterIP: 'None' } : request.clusterIP ? { clusterIP: request.clusterIP } : {}),
    selector: { ...workload.selector },
    ports,
  };
  if (request.externalTrafficPolicy) spec.externalTrafficPolicy = request.externalTrafficPolicy;
  if (request.sessionAffinity) spec.sessionAffinity = request.sessionAffinity;
  const labels = Object.keys(workload.labels).length > 0 ? { labels: { ...workload.labels } } : {};
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: choices.name, namespace: workload.namespace, ...labels },
    spec,
  };
}

// The plan's choices when nothing is left open.
export function decidedChoices(plan: Plan): Choices | undefined {
  if (!plan.ports || !plan.kind || plan.nameProblem) return undefined;
  return { ports: plan.ports, kind: plan.kind, name: plan.name };
}
