// Facts about pods that several analysis modules need: owner workload, readiness in words,
// and how a Service port's targetPort resolves on a pod (as the EndpointSlice controller does it).

import type { Container, ContainerPort, Pod, Protocol, ServicePort } from './types.js';

// The workload that owns a pod, as `Deployment/web`. A ReplicaSet named <deployment>-<pod-template-hash>
// stands for its Deployment, so two ReplicaSets of one rollout count as one workload.
export function workloadOf(pod: Pod): string {
  const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return `Pod/${pod.metadata.name}`;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    return `Deployment/${owner.name.slice(0, -hash.length - 1)}`;
  }
  return `${owner.kind}/${owner.name}`;
}

// A pod in a terminal phase (a Job's pod that completed, or one that failed for good): never an
// endpoint again, and nobody's backend.
export function hasFinished(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp != null;
}

// Why a pod is not ready, in words; undefined when it is ready.
export function notReadyReason(pod: Pod): string | undefined {
  if (isTerminating(pod)) return 'terminating';
  const status = pod.status;
  if (!status) return undefined;
  if (status.phase && status.phase !== 'Running') {
    const waiting = status.containerStatuses?.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
    // A pod that no node can take says so only in its PodScheduled condition (Unschedulable).
    const unscheduled = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.reason;
    const why = waiting ?? unscheduled;
    return why ? `${status.phase} (${why})` : `phase ${status.phase}`;
  }
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'True') return undefined;
  const waiting = status.containerStatuses?.find((c) => c.state?.waiting?.reason);
  if (waiting) return `container ${waiting.name} ${waiting.state!.waiting!.reason}`;
  const unready = status.containerStatuses?.find((c) => !c.ready);
  const probe = unready && containersOf(pod).find((c) => c.name === unready.name)?.readinessProbe;
  if (unready && probe) return `readiness probe of ${unready.name} failing`;
  if (unready) return `container ${unready.name} not ready`;
  return ready.reason ? `not ready (${ready.reason})` : 'not ready';
}

export function containersOf(pod: Pod): Container[] {
  return pod.spec?.containers ?? [];
}

// The ports of the containers and of the sidecars (init containers with restartPolicy Always), which
// the EndpointSlice controller also resolves named targetPorts against.
export function declaredPorts(pod: Pod): Array<ContainerPort & { container: string }> {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...containersOf(pod), ...sidecars].flatMap((c) => (c.ports ?? []).map((p) => ({ ...p, container: c.name })));
}

export type TargetPortResolution =
  | { kind: 'resolved'; container?: string; containerPort: number; protocol: Protocol; declared: boolean }
  | { kind: 'missing-name'; name: string }
  | { kind: 'protocol-mismatch'; container: string; containerPort: number; protocol: Protocol };

// The port a Service port sends to: targetPort, where absent, 0 or "" the port number itself, as the
// API server defaults it.
export function effectiveTargetPort(servicePort: ServicePort): number | string {
  const target = servicePort.targetPort;
  return target === undefined || target === null || target === 0 || target === '' ? servicePort.port : target;
}

// A named targetPort must name a container port with the same protocol (podutil.FindPort), otherwise
// the controller publishes no endpoint for that pod.
export function resolveTargetPort(pod: Pod, servicePort: ServicePort): TargetPortResolution {
  const protocol = servicePort.protocol ?? 'TCP';
  const target = effectiveTargetPort(servicePort);
  const ports = declaredPorts(pod);
  if (typeof target === 'string' && !/^\d+$/.test(target)) {
    const sameName = ports.filter((p) => p.name === target);
    const match = sameName.find((p) => (p.protocol ?? 'TCP') === protocol);
    if (match) return { kind: 'resolved', container: match.container, containerPort: match.containerPort, protocol, declared: true };
    const other = sameName[0];
    if (other) return { kind: 'protocol-mismatch', container: other.container, containerPort: other.containerPort, protocol: other.protocol ?? 'TCP' };
    return { kind: 'missing-name', name: target };
  }
  const number = Number(target);
  const sameNumber = ports.filter((p) => p.containerPort === number);
  const match = sameNumber.find((p) => (p.protocol ?? 'TCP') === protocol);
  if (match) return { kind: 'resolved', container: match.container, containerPort: number, protocol, declared: true };
  const other = sameNumber[0];
  if (other) return { kind: 'protocol-mismatch', container: other.container, containerPort: number, protocol: other.protocol ?? 'TCP' };
  return { kind: 'resolved', containerPort: number, protocol, declared: false };
}

export function podIP(pod: Pod): string | undefined {
  return pod.status?.podIP;
}
