// Pure: what a command names on its command line. trace and explain follow a Service (`NAME`,
// `svc/NAME`), or what stands in front of Services (`ingress/NAME`, `httproute/NAME`,
// `grpcroute/NAME`), in the resource words kubectl accepts; assert and forward take Services only.

import type { EntryKind } from '../analyze/entry-model.js';
import { usageError } from '../errors.js';
import { requireValidName } from '../kube/names.js';

// `NAME`, `svc/NAME`, `service/NAME` or `services/NAME`, as kubectl accepts them; the name must be
// one the API server accepts for a Service (a DNS-1035 label), checked before any request.
export function parseServiceArgument(argument: string): string {
  const match = /^(?:(svc|service|services)\/)?([^/]*)$/.exec(argument);
  if (!match) {
    const kind = argument.split('/')[0];
    throw usageError(`"${argument}" is not a Service (it names a ${kind})`, 'write the Service as NAME, svc/NAME or service/NAME');
  }
  requireValidName(match[2]!, 'Service');
  return match[2]!;
}

const entryWords: Record<string, EntryKind> = {
  ingress: 'Ingress',
  ingresses: 'Ingress',
  ing: 'Ingress',
  'ingress.networking.k8s.io': 'Ingress',
  'ingresses.networking.k8s.io': 'Ingress',
  httproute: 'HTTPRoute',
  httproutes: 'HTTPRoute',
  'httproute.gateway.networking.k8s.io': 'HTTPRoute',
  'httproutes.gateway.networking.k8s.io': 'HTTPRoute',
  grpcroute: 'GRPCRoute',
  grpcroutes: 'GRPCRoute',
  'grpcroute.gateway.networking.k8s.io': 'GRPCRoute',
  'grpcroutes.gateway.networking.k8s.io': 'GRPCRoute',
};

export interface EntryTarget {
  kind: EntryKind;
  name: string;
}

export type TraceTarget = { service: string } | { entry: EntryTarget };

export function parseTraceTarget(argument: string): TraceTarget {
  const slash = argument.indexOf('/');
  const kind = slash > 0 ? entryWords[argument.slice(0, slash).toLowerCase()] : undefined;
  if (!kind) return { service: parseServiceArgument(argument) };
  const name = argument.slice(slash + 1);
  // An object name is a DNS-1123 subdomain, checked before any request.
  requireValidName(name, kind);
  return { entry: { kind, name } };
}
