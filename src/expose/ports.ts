// Container ports → Service ports.
//
// Each container port (containers first, then native sidecars, as the EndpointSlice controller
// looks them up) is one candidate; the same number and protocol declared twice counts once.
// A named container port becomes a named targetPort — unless an earlier container declares the same
// name and protocol: a named targetPort resolves to the first such port, so the later one is
// targeted by number. Service port names must be unique DNS-1035 labels when there are several
// ports: the container port's name, `<container>-<name>` when that name is taken, `<protocol>-<port>`
// for an unnamed port, with `-2`, `-3` ... on a clash.

import { declaredPorts } from '../kube/pods.js';
import type { PodSpec, Protocol, ServicePort } from '../kube/types.js';
import { toDns1035, uniqueName } from './names.js';

export interface ContainerPortCandidate {
  container: string;
  name?: string;
  containerPort: number;
  protocol: Protocol;
}

export function containerPortsOf(podSpec: PodSpec): ContainerPortCandidate[] {
  const seen = new Set<string>();
  const candidates: ContainerPortCandidate[] = [];
  for (const port of declaredPorts({ metadata: { name: '' }, spec: podSpec })) {
    const protocol = port.protocol ?? 'TCP';
    const key = `${port.containerPort}/${protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    candidates.push({ container: port.container, ...(port.name ? { name: port.name } : {}), containerPort: port.containerPort, protocol });
  }
  return candidates;
}

// `http 8080/TCP (container web)`
export function describeCandidate(candidate: ContainerPortCandidate): string {
  return `${candidate.name ? `${candidate.name} ` : ''}${candidate.containerPort}/${candidate.protocol} (container ${candidate.container})`;
}

// What the Service should send to: the port's name when it resolves to this very port, else its number.
export function targetFor(candidate: ContainerPortCandidate, all: ContainerPortCandidate[]): number | string {
  if (!candidate.name) return candidate.containerPort;
  const first = all.find((other) => other.name === candidate.name && other.protocol === candidate.protocol);
  return first === candidate ? candidate.name : candidate.containerPort;
}

// One Service port to be: its number, where it goes, and the name it would like.
export interface PortMapping {
  port: number;
  targetPort: number | string;
  protocol: Protocol;
  wantedName?: string;
}

export function mappingFor(candidate: ContainerPortCandidate, all: ContainerPortCandidate[]): PortMapping {
  const targetPort = targetFor(candidate, all);
  const wantedName = candidate.name === undefined ? undefined : targetPort === candidate.name ? candidate.name : `${candidate.container}-${candidate.name}`;
  return { port: candidate.containerPort, targetPort, protocol: candidate.protocol, ...(wantedName ? { wantedName } : {}) };
}

// Names the ports. A lone port keeps the name it wants (or none); several get unique DNS-1035 names.
export function namedServicePorts(mappings: PortMapping[]): ServicePort[] {
  const taken = new Set<string>();
  return mappings.map((mapping) => {
    const port: ServicePort = { port: mapping.port, targetPort: mapping.targetPort, protocol: mapping.protocol };
    const wanted = mapping.wantedName ?? (mappings.length > 1 ? `${mapping.protocol.toLowerCase()}-${mapping.port}` : undefined);
    if (wanted === undefined) return port;
    const name = uniqueName(toDns1035(wanted), taken);
    taken.add(name);
    return { name, ...port };
  });
}
