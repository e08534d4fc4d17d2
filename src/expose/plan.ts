// What the flags and the workload decide, and which choices are left open for the wizard
// (or, without a terminal, for a usage error that names the flag):
// - ports: open when no --port is given and the workload declares more than one container port
//   (after --protocol narrows them); none declared and no --port is an error asking for --port;
// - type: open unless --type or --cluster-ip None is given;
// - name: defaults to the workload's name; asked for in the wizard, and open without a terminal
//   only when the workload's name is not a valid Service name (a DNS-1035 label).

import { SvcTraceError, usageError } from '../errors.js';
import type { Protocol, ServicePort } from '../kube/types.js';
import { dns1035Problem } from './names.js';
import { containerPortsOf, describeCandidate, mappingFor, namedServicePorts, targetFor, type ContainerPortCandidate, type PortMapping } from './ports.js';
import type { ExposeRequest, PortRequest } from './request.js';
import type { ExposedWorkload } from './workload.js';

export type ServiceKind = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'Headless';

export const serviceKinds: Array<{ kind: ServiceKind; meaning: string }> = [
  { kind: 'ClusterIP', meaning: 'reachable inside the cluster only, at a virtual IP' },
  { kind: 'NodePort', meaning: "on every node's IP at a port in 30000–32767 (and inside the cluster)" },
  { kind: 'LoadBalancer', meaning: 'through a cloud load balancer (and on a node port)' },
  { kind: 'Headless', meaning: 'no virtual IP: DNS answers straight with the pods’ IPs (clusterIP: None)' },
];

export type OpenChoice = 'ports' | 'type' | 'name';

export interface Plan {
  workload: ExposedWorkload;
  candidates: ContainerPortCandidate[]; // what the wizard offers when the ports are open
  ports?: ServicePort[];
  kind?: ServiceKind;
  kinds: ServiceKind[]; // what the wizard offers when the type is open
  name: string;
  nameGiven: boolean;
  nameProblem?: string; // why the default name is not a valid Service name
  notes: string[];
}

export interface Choices {
  ports: ServicePort[];
  kind: ServiceKind;
  name: string;
}

function listed(candidates: ContainerPortCandidate[]): string {
  return candidates.map(describeCandidate).join(', ');
}

// What mapping a port needs to know: the container ports (all, and those of --protocol), the
// request, the workload, and the notes to tell the user.
interface Context {
  all: ContainerPortCandidate[];
  candidates: ContainerPortCandidate[];
  request: ExposeRequest;
  workload: ExposedWorkload;
  notes: string[];
}

function byName(context: Context, name: string, flag: string): ContainerPortCandidate {
  const { candidates, request, workload } = context;
  const found = candidates.find((candidate) => candidate.name === name);
  if (found) return found;
  throw usageError(
    `${flag} ${name}: ${workload.display} has no ${request.protocol ? `${request.protocol} ` : ''}container port named "${name}"`,
    candidates.length > 0 ? `its container ports are ${listed(candidates)}` : `${workload.display} declares no container ports: give numbers, e.g. --port 80:8080`,
  );
}

// An explicit target: a number stays the number written (noted when no container declares it);
// a name must be a container port's, and resolves as that port's target does.
function targetOf(context: Context, target: number | string, flag: string): number | string {
  if (typeof target === 'string') return targetFor(byName(context, target, flag), context.all);
  if (!context.candidates.some((candidate) => candidate.containerPort === target)) {
    context.notes.push(`no container of ${context.workload.display} declares port ${target}/${context.request.protocol ?? 'TCP'}: the Service sends there all the same (a container may listen without declaring it)`);
  }
  return target;
}

// One --port entry → its Service port(s): a number declared for both UDP and TCP (DNS's 53) gives both.
function mapExplicit(context: Context, entry: PortRequest): PortMapping[] {
  const { all, candidates, request, workload } = context;
  const protocol: Protocol = request.protocol ?? 'TCP';
  const target = entry.target ?? request.targetPort;
  if (typeof entry.port === 'string') {
    const mapping = mappingFor(byName(context, entry.port, '--port'), all);
    return [target === undefined ? mapping : { ...mapping, targetPort: targetOf(context, target, '--port') }];
  }
  if (target !== undefined) {
    const candidate = typeof target === 'string' ? byName(context, target, '--port') : candidates.find((c) => c.containerPort === target);
    const targetPort = targetOf(context, target, '--port');
    return [candidate ? { ...mappingFor(candidate, all), port: entry.port, targetPort } : { port: entry.port, targetPort, protocol }];
  }
  const same = candidates.filter((candidate) => candidate.containerPort === entry.port);
  if (same.length > 0) return same.map((candidate) => mappingFor(candidate, all));
  if (candidates.length === 1) return [{ ...mappingFor(candidates[0]!, all), port: entry.port }];
  if (candidates.length === 0) {
    context.notes.push(`${workload.display} declares no container ports: port ${entry.port} goes to container port ${entry.port}`);
    return [{ port: entry.port, targetPort: entry.port, protocol }];
  }
  throw usageError(
    `--port ${entry.port} is not a container port of ${workload.display}, which declares ${listed(candidates)}`,
    `say where it goes: --port ${entry.port}:${candidates[0]!.name ?? candidates[0]!.containerPort} (PORT:TARGET), or pick one by name or number`,
  );
}

export function planExpose(workload: ExposedWorkload, request: ExposeRequest): Plan {
  const all = containerPortsOf(workload.podSpec);
  const candidates = request.protocol ? all.filter((candidate) => candidate.protocol === request.protocol) : all;
  const context: Context = { all, candidates, request, workload, notes: [...workload.notes] };
  let ports: ServicePort[] | undefined;
  if (request.ports.length > 0) {
    ports = namedServicePorts(request.ports.flatMap((entry) => mapExplicit(context, entry)));
    ensureDistinct(ports);
  } else if (all.length === 0) {
    throw usageError(
      `${workload.display} declares no container ports, so expose cannot tell which port to expose`,
      'pass --port PORT or --port PORT:TARGET, e.g. --port 80:8080 (the port the container listens on)',
    );
  } else if (candidates.length === 0) {
    throw usageError(`${workload.display} declares no ${request.protocol} container port`, `its container ports are ${listed(all)}; drop --protocol or pass --port`);
  } else if (candidates.length === 1) {
    const mapping = mappingFor(candidates[0]!, all);
    ports = namedServicePorts([request.targetPort === undefined ? mapping : { ...mapping, targetPort: targetOf(context, request.targetPort, '--target-port') }]);
  } else if (request.targetPort !== undefined) {
    throw usageError(`--target-port applies to one port, and ${workload.display} declares ${candidates.length}: ${listed(candidates)}`, 'choose with --port PORT:TARGET for each port');
  }
  if (ports) checkNodePorts(ports.length, request);

  const headless = request.clusterIP === 'None';
  const outsideFlags = request.nodePorts.length > 0 || request.externalTrafficPolicy !== undefined;
  const kinds: ServiceKind[] = outsideFlags
    ? ['NodePort', 'LoadBalancer']
    : request.clusterIP !== undefined
      ? ['ClusterIP', 'NodePort', 'LoadBalancer']
      : serviceKinds.map((entry) => entry.kind);
  const name = request.name ?? workload.name;
  const nameProblem = request.name === undefined ? dns1035Problem(name) : undefined;
  return {
    workload,
    candidates,
    ...(ports ? { ports } : {}),
    ...(headless ? { kind: 'Headless' as const } : request.type ? { kind: request.type } : {}),
    kinds,
    name,
    nameGiven: request.name !== undefined,
    ...(nameProblem ? { nameProblem } : {}),
    notes: context.notes,
  };
}

function ensureDistinct(ports: ServicePort[]): void {
  const seen = new Set<string>();
  for (const port of ports) {
    const key = `${port.port}/${port.protocol}`;
    if (seen.has(key)) throw usageError(`Service port ${key} is given twice`, 'give each Service port number (per protocol) once');
    seen.add(key);
  }
}

export function checkNodePorts(portCount: number, request: ExposeRequest): void {
  if (request.nodePorts.length > portCount) {
    throw usageError(`--node-port gives ${request.nodePorts.length} node ports for ${portCount} Service port(s)`, 'give at most one --node-port per Service port, in the same order');
  }
}

// The Service ports for the container ports picked in the wizard.
export function portsForCandidates(plan: Plan, picked: ContainerPortCandidate[]): ServicePort[] {
  return namedServicePorts(picked.map((candidate) => mappingFor(candidate, plan.candidates)));
}

export function openChoices(plan: Plan): OpenChoice[] {
  return [
    ...(plan.ports ? [] : ['ports' as const]),
    ...(plan.kind ? [] : ['type' as const]),
    ...(plan.nameProblem ? ['name' as const] : []),
  ];
}

// Without a terminal, the open choices are one usage error that names the flags to pass.
export function missingChoiceError(plan: Plan, open: OpenChoice[]): SvcTraceError {
  const declared = plan.candidates.map((c) => `${c.name ? `${c.name} ` : ''}${c.containerPort}/${c.protocol}`).join(', ');
  const what = {
    ports: `the ports to expose with --port (${plan.workload.display} declares ${declared})`,
    type: 'the Service type with --type',
    name: `a Service name with --name ("${plan.name}" is not one: ${plan.nameProblem})`,
  };
  const hints = {
    ports: `e.g. --port ${plan.candidates.map((c) => c.name ?? String(c.containerPort)).slice(0, 2).join(',')} (container port names or numbers; PORT:TARGET maps)`,
    type: '--type ClusterIP (inside the cluster), NodePort (every node), LoadBalancer, or --cluster-ip None (headless)',
    name: 'a DNS-1035 label, e.g. --name web',
  };
  return usageError(`choose ${open.map((choice) => what[choice]).join(' and ')}: there is no terminal for the wizard`, open.map((choice) => hints[choice]).join('; '));
}
