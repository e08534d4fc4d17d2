// What trace and explain follow: a Service (`NAME`, `svc/NAME`), or what stands in front of Services
// (`ingress/NAME`, `httproute/NAME`, `grpcroute/NAME`), in the resource words kubectl accepts.

import type { EntryKind } from '../analyze/entry-model.js';
import { requireValidName } from '../kube/names.js';
import { parseServiceArgument } from './flags.js';

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

export type TraceTarget = { service: string } | { entry: { kind: EntryKind; name: string } };

export function parseTraceTarget(argument: string): TraceTarget {
  const slash = argument.indexOf('/');
  const kind = slash > 0 ? entryWords[argument.slice(0, slash).toLowerCase()] : undefined;
  if (!kind) return { service: parseServiceArgument(argument) };
  const name = argument.slice(slash + 1);
  // An object name is a DNS-1123 subdomain, checked before any request.
  requireValidName(name, kind);
  return { entry: { kind, name } };
}
