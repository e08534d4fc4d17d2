// Pure: the EndpointSlices of a Service → the pods one Service port can be forwarded to, each with
// its real target port. The EndpointSlice controller has already resolved named targetPorts per pod
// (pods that name the port differently land in slices with other ports), so the slice's port for
// the Service port's name is what kube-proxy uses, and what forward uses.

import type { EndpointSlice, ServicePort } from '../kube/types.js';

export interface Backend {
  pod: string;
  node?: string;
  // The endpoint's first address, for display (the stream goes through the API server, not to it).
  address: string;
  // The container port the Service port reaches on this pod; undefined when the pod has none
  // (its slice carries no port of that name: a named targetPort the pod does not declare).
  targetPort?: number;
  ready: boolean;
  terminating: boolean;
}

// Condition defaults as the API defines them: a missing `ready` is ready, a missing `terminating` is not.
export function backendsFor(servicePort: ServicePort, slices: EndpointSlice[]): Backend[] {
  const name = servicePort.name ?? '';
  const protocol = servicePort.protocol ?? 'TCP';
  const byPod = new Map<string, Backend>();
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === name && (p.protocol ?? 'TCP') === protocol);
    for (const endpoint of slice.endpoints ?? []) {
      // Only pods can be reached through the port-forward API.
      if (endpoint.targetRef?.kind !== 'Pod' || !endpoint.targetRef.name) continue;
      const backend: Backend = {
        pod: endpoint.targetRef.name,
        address: endpoint.addresses[0] ?? '<none>',
        ready: endpoint.conditions?.ready ?? true,
        terminating: endpoint.conditions?.terminating ?? false,
      };
      if (endpoint.nodeName) backend.node = endpoint.nodeName;
      if (port?.port !== undefined) backend.targetPort = port.port;
      // A dual-stack pod is listed in an IPv4 and an IPv6 slice; a pod moving between slices may be
      // listed twice for a moment. One pod is one backend: the better listing wins.
      const earlier = byPod.get(backend.pod);
      if (!earlier || rank(backend) > rank(earlier)) byPod.set(backend.pod, backend);
    }
  }
  // Code-unit order: the round robin of the balancer continues after the last pod by the same order.
  return [...byPod.values()].sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
}

function rank(backend: Backend): number {
  return (isUsable(backend) ? 4 : 0) + (backend.targetPort !== undefined ? 2 : 0) + (backend.address.includes(':') ? 0 : 1);
}

// A new connection may go to this backend: ready, not terminating, with a target port.
export function isUsable(backend: Backend): boolean {
  return backend.ready && !backend.terminating && backend.targetPort !== undefined;
}

export type BackendState = 'ready' | 'not-ready' | 'terminating' | 'no-port';

export function stateOf(backend: Backend): BackendState {
  if (backend.terminating) return 'terminating';
  if (!backend.ready) return 'not-ready';
  if (backend.targetPort === undefined) return 'no-port';
  return 'ready';
}

export type BackendChange =
  | { kind: 'added'; backend: Backend }
  | { kind: 'removed'; backend: Backend }
  | { kind: 'changed'; backend: Backend; from: BackendState; targetPortFrom?: number };

// What changed between two backend sets, in pod order: pods that joined, left, or changed state or target port.
export function diffBackends(previous: Backend[], next: Backend[]): BackendChange[] {
  const before = new Map(previous.map((b) => [b.pod, b]));
  const after = new Map(next.map((b) => [b.pod, b]));
  const changes: BackendChange[] = [];
  for (const pod of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = before.get(pod);
    const now = after.get(pod);
    if (!old && now) changes.push({ kind: 'added', backend: now });
    else if (old && !now) changes.push({ kind: 'removed', backend: old });
    else if (old && now && (stateOf(old) !== stateOf(now) || old.targetPort !== now.targetPort)) {
      const change: BackendChange = { kind: 'changed', backend: now, from: stateOf(old) };
      if (old.targetPort !== now.targetPort && old.targetPort !== undefined) change.targetPortFrom = old.targetPort;
      changes.push(change);
    }
  }
  return changes;
}
