// expose's flags → a plain request, checked for what can be checked before the cluster is asked.
// Every mistake is a usage error (exit 2) that names the flag.

import { isIP } from 'node:net';
import { usageError } from '../errors.js';
import type { Protocol } from '../kube/types.js';
import { dns1035Problem } from './names.js';
import { parseWorkloadReference, supportedHint, type WorkloadReference } from './reference.js';

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';
export type DryRun = 'none' | 'client' | 'server';
export type ServiceOutput = 'yaml' | 'json' | 'name';

export interface ExposeFlags {
  workload?: string;
  workloadName?: string; // the NAME of kubectl's `TYPE NAME` form
  port: string[];
  targetPort?: string;
  protocol?: string;
  type?: string;
  name?: string;
  clusterIP?: string;
  nodePort: string[];
  externalTrafficPolicy?: string;
  sessionAffinity?: string;
  selector?: string;
  dryRun: DryRun;
  output?: string;
  yes: boolean;
}

// PORT[:TARGET] — PORT is a number, or the name of a container port; TARGET a number or a name.
export interface PortRequest {
  port: number | string;
  target?: number | string;
}

export interface ExposeRequest {
  reference: WorkloadReference;
  ports: PortRequest[];
  targetPort?: number | string;
  protocol?: Protocol;
  type?: ServiceType;
  name?: string;
  clusterIP?: string; // 'None' (headless) or an address
  nodePorts: number[];
  externalTrafficPolicy?: 'Cluster' | 'Local';
  sessionAffinity?: 'None' | 'ClientIP';
  selector?: Record<string, string>;
  dryRun: DryRun;
  output?: ServiceOutput;
  yes: boolean;
}

const portName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/; // IANA service name, as container ports are named

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (!match) throw usageError(`${flag} "${value}" is not one of ${allowed.join(', ')}`, `pass ${flag} ${allowed.join('|')}`);
  return match;
}

function portNumber(flag: string, text: string): number {
  const number = Number(text);
  if (!/^\d+$/.test(text) || number < 1 || number > 65535) {
    throw usageError(`${flag} ${text} is not a port number`, 'port numbers lie between 1 and 65535');
  }
  return number;
}

function numberOrName(flag: string, text: string): number | string {
  if (/^\d+$/.test(text)) return portNumber(flag, text);
  if (!portName.test(text) || text.length > 15) {
    throw usageError(`${flag} "${text}" is neither a port number nor a container port name`, 'container port names are up to 15 lower-case letters, digits and "-"');
  }
  return text;
}

// Repeatable flags also take comma lists: --port 80,443 is --port 80 --port 443.
function listOf(values: string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
}

function parsePort(text: string): PortRequest {
  const parts = text.split(':');
  if (parts.length > 2 || parts.some((part) => part === '')) {
    throw usageError(`--port "${text}" is not PORT or PORT:TARGET`, 'e.g. --port 80, --port http, --port 80:8080 or --port 80:http');
  }
  const port = numberOrName('--port', parts[0]!);
  return parts.length === 2 ? { port, target: numberOrName('--port', parts[1]!) } : { port };
}

// `app=web,tier=front`, the form kubectl's --selector takes (equality only, as a Service selector is).
function parseSelector(text: string): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const pair of text.split(',').map((part) => part.trim())) {
    const match = /^([A-Za-z0-9][-A-Za-z0-9_./]*)\s*==?\s*([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.exec(pair);
    if (!match) throw usageError(`--selector "${text}" is not a list of KEY=VALUE labels`, 'e.g. --selector app=web,tier=frontend (a Service selector has no set operators)');
    selector[match[1]!] = match[2] ?? '';
  }
  return selector;
}

export function parseExposeRequest(flags: ExposeFlags): ExposeRequest {
  if (flags.workload === undefined) throw usageError('expose needs the workload to expose', `write it as TYPE/NAME, e.g. kubectl svc-trace expose deploy/web; ${supportedHint}`);
  const reference = parseWorkloadReference(flags.workload, flags.workloadName);
  const ports = listOf(flags.port).map(parsePort);
  const seen = new Set<string>();
  for (const request of ports) {
    const key = String(request.port);
    if (seen.has(key)) throw usageError(`--port ${key} is given twice`, 'give each Service port once');
    seen.add(key);
  }
  const request: ExposeRequest = {
    reference,
    ports,
    nodePorts: listOf(flags.nodePort).map((text) => portNumber('--node-port', text)),
    dryRun: flags.dryRun,
    yes: flags.yes,
  };
  if (flags.targetPort !== undefined) {
    if (ports.length > 1) throw usageError('--target-port applies to one port, and --port gives several', 'write each as --port PORT:TARGET');
    if (ports.some((port) => port.target !== undefined)) throw usageError('--target-port and --port PORT:TARGET both set the target', 'use one of them');
    request.targetPort = numberOrName('--target-port', flags.targetPort);
  }
  const protocol = oneOf('--protocol', flags.protocol, ['TCP', 'UDP', 'SCTP'] as const);
  if (protocol) request.protocol = protocol;
  if (flags.type?.toLowerCase() === 'externalname') {
    throw usageError('expose makes Services that select pods, and an ExternalName Service selects none', 'create one with kubectl create service externalname NAME --external-name HOST');
  }
  const type = oneOf('--type', flags.type, ['ClusterIP', 'NodePort', 'LoadBalancer'] as const);
  if (type) request.type = type;
  if (flags.name !== undefined) {
    const problem = dns1035Problem(flags.name);
    if (problem) throw usageError(`--name "${flags.name}" is not a valid Service name: ${problem}`, 'a Service name is a DNS-1035 label, e.g. web or web-public');
    request.name = flags.name;
  }
  if (flags.clusterIP !== undefined) {
    if (flags.clusterIP.toLowerCase() === 'none') request.clusterIP = 'None';
    else if (isIP(flags.clusterIP)) request.clusterIP = flags.clusterIP;
    else throw usageError(`--cluster-ip "${flags.clusterIP}" is neither None nor an IP address`, 'pass --cluster-ip None for a headless Service, or leave it out and the API server picks one');
  }
  const headless = request.clusterIP === 'None';
  if (headless && (type === 'NodePort' || type === 'LoadBalancer')) {
    throw usageError(`a headless Service (--cluster-ip None) has no virtual IP, so it cannot be of type ${type}`, 'drop --cluster-ip None, or use --type ClusterIP');
  }
  const externalTrafficPolicy = oneOf('--external-traffic-policy', flags.externalTrafficPolicy, ['Cluster', 'Local'] as const);
  if (externalTrafficPolicy) request.externalTrafficPolicy = externalTrafficPolicy;
  for (const [flag, given] of [['--node-port', request.nodePorts.length > 0], ['--external-traffic-policy', externalTrafficPolicy !== undefined]] as const) {
    if (given && (type === 'ClusterIP' || headless)) {
      throw usageError(`${flag} applies to traffic from outside the cluster, and a ${headless ? 'headless' : 'ClusterIP'} Service has none`, `use --type NodePort or --type LoadBalancer with ${flag}`);
    }
  }
  if (request.nodePorts.length > 0 && ports.length > 0 && request.nodePorts.length > ports.length) {
    throw usageError(`--node-port gives ${request.nodePorts.length} node ports for ${ports.length} Service port(s)`, 'give at most one --node-port per --port, in the same order');
  }
  const sessionAffinity = oneOf('--session-affinity', flags.sessionAffinity, ['None', 'ClientIP'] as const);
  if (sessionAffinity) request.sessionAffinity = sessionAffinity;
  if (flags.selector !== undefined) request.selector = parseSelector(flags.selector);
  const output = oneOf('-o', flags.output, ['yaml', 'json', 'name'] as const);
  if (output) request.output = output;
  return request;
}
