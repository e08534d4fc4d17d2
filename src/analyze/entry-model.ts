// The trace of what stands in front of Services (`kubectl svc-trace ingress/NAME`, `httproute/NAME`,
// `grpcroute/NAME`): the entry's own hops, then each backend Service and its own Trace.

import type { Finding, HopBase, Trace, Verdict } from './model.js';

export type EntryKind = 'Ingress' | 'HTTPRoute' | 'GRPCRoute';

// One rule of the entry and where it sends: `shop.example.com /api (Prefix) → api:http`.
export interface EntryRuleRow {
  host: string; // `*` when the rule names none
  match: string; // path and type for an Ingress, the matches of a route rule, `default backend`
  backends: string[]; // NAMESPACE/SERVICE:PORT as the rule names them (a resource backend by kind/name)
}

export interface TlsRow {
  hosts: string[];
  secretName: string; // `<none>`: the controller's default certificate
  secret: 'found' | 'missing' | 'unknown' | 'default-certificate';
}

export interface IngressHop extends HopBase {
  kind: 'ingress';
  className: string | null; // the class that applies (spec, the deprecated annotation, or the default class)
  classSource: 'spec' | 'annotation' | 'default' | 'none';
  controller?: string; // the IngressClass's spec.controller, when known
  addresses: string[]; // status.loadBalancer.ingress
  rules: EntryRuleRow[];
  tls: TlsRow[];
}

export interface ParentRow {
  kind: string;
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
  // The conditions the parent's controller reported for this route; null when none reported (or offline).
  accepted: 'True' | 'False' | 'Unknown' | null;
  resolvedRefs: 'True' | 'False' | 'Unknown' | null;
  reason?: string;
  controllerName?: string;
}

export interface RouteHop extends HopBase {
  kind: 'route';
  hostnames: string[];
  parents: ParentRow[];
  rules: EntryRuleRow[];
}

export interface ListenerRow {
  name: string;
  protocol: string;
  port: number;
  hostname?: string;
}

export interface GatewayRow {
  namespace: string;
  name: string;
  found: boolean;
  className?: string;
  programmed: 'True' | 'False' | 'Unknown' | null; // null: not reported (or offline)
  accepted: 'True' | 'False' | 'Unknown' | null;
  addresses: string[];
  listeners: ListenerRow[];
}

export interface GatewayHop extends HopBase {
  kind: 'gateway';
  gateways: GatewayRow[];
}

export type EntryHop = IngressHop | RouteHop | GatewayHop;

// A backend Service the entry sends to, and (when it exists and may be referenced) its own trace.
export interface EntryBackend {
  namespace: string;
  name: string;
  port: string; // as the entry names it: a number or a port name
  from: string[]; // the rules that send here, as in EntryRuleRow (`host match`)
  state: 'found' | 'missing' | 'port-missing' | 'not-permitted';
  trace: Trace | null;
}

export interface EntrySummary {
  kind: EntryKind;
  namespace: string;
  name: string;
  hostnames: string[];
  addresses: string[];
}

export interface EntryTrace {
  apiVersion: 'svc-trace/v1';
  kind: 'EntryTrace';
  source: 'cluster' | 'manifests';
  entry: EntrySummary;
  verdict: Verdict; // the worst of the entry's own findings and of every backend's trace
  hops: EntryHop[];
  backends: EntryBackend[];
  findings: Finding[]; // the entry's own findings; each backend's are in its trace
}
