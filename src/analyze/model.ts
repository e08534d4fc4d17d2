// The trace model (README, How it works): what every renderer, the explainer and the JSON output read.

import type { FindingId } from './catalogue.js';

export type HopStatus = 'ok' | 'warn' | 'fail' | 'skip';
export type Level = 'error' | 'warning' | 'info';
export type Verdict = 'ok' | 'degraded' | 'broken';
export type HopKind = 'client' | 'dns' | 'frontend' | 'routing' | 'endpoint' | 'backend' | EntryHopKind;
// The hops of an Ingress or route trace in front of the Services (src/analyze/entry-model.ts).
export type EntryHopKind = 'ingress' | 'route' | 'gateway';

export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export interface Finding {
  id: FindingId;
  level: Level;
  hop: HopKind;
  message: string;
  hint: string;
  objects: ObjectRef[];
}

export interface HopBase {
  status: HopStatus;
  summary: string;
  // What could not be looked at, in words (forbidden lookups, offline mode).
  notes: string[];
}

export interface ClientHop extends HopBase {
  kind: 'client';
  client: { kind: 'pod' | 'generic' | 'node' | 'external'; name?: string; namespace?: string; node?: string; ip?: string };
}

export interface DnsRecord {
  name: string;
  answers: string[];
  type: 'A/AAAA' | 'CNAME' | 'none';
}

export interface DnsHop extends HopBase {
  kind: 'dns';
  records: DnsRecord[];
}

export interface FrontendEntry {
  kind: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalIP' | 'ExternalName';
  address: string;
  port: number | null;
  protocol: string;
  servicePort: string; // the Service port's name, else its number
  node?: string;
}

// An Ingress or Gateway API route of the Service's namespace that sends to this Service.
export interface Referrer {
  kind: 'Ingress' | 'HTTPRoute' | 'GRPCRoute';
  namespace: string;
  name: string;
  port: string; // the Service port as the Ingress or route names it (a number or a name)
  problem?: string; // the port reference does not match the Service, in words
}

export interface FrontendHop extends HopBase {
  kind: 'frontend';
  entries: FrontendEntry[];
  referencedBy?: Referrer[];
}

export interface RoutingHop extends HopBase {
  kind: 'routing';
  rules: string[];
}

export interface EndpointRow {
  address: string;
  ports: string[]; // name:port/protocol of the slice
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  pod?: string;
  node?: string;
  zone?: string;
  slice: string;
  reason?: string; // why not ready, in words, from the pod
}

export interface EndpointHop extends HopBase {
  kind: 'endpoint';
  endpoints: EndpointRow[];
}

export interface BackendRow {
  pod: string;
  node?: string;
  servicePort: string;
  container?: string;
  containerPort?: number;
  protocol: string;
  problem?: string; // the port problem, if any
  // restricted: the default client (an unlabelled pod) is denied, but the policies admit others.
  networkPolicy: 'not-isolated' | 'allowed' | 'denied' | 'restricted' | 'unknown' | 'not-evaluated';
  policies: string[]; // NetworkPolicies that select the pod (ingress) or the client (egress)
  probe?: BackendProbe; // --probe: what one connection to this pod's target port found
}

export interface BackendProbe {
  outcome: 'accepted' | 'refused' | 'timeout' | 'failed';
  port: number; // the target port the connection went to
  milliseconds?: number; // accepted: from the start of the probe (the port-forward upgrade included) to the pod's answer
  message?: string; // what the kubelet or the API server said
}

export interface BackendHop extends HopBase {
  kind: 'backend';
  backends: BackendRow[];
}

export type Hop = ClientHop | DnsHop | FrontendHop | RoutingHop | EndpointHop | BackendHop;

export interface ServiceSummary {
  namespace: string;
  name: string;
  type: string;
  clusterIP?: string;
  external: string[]; // LoadBalancer ingress, externalIPs, ExternalName target
  ports: string[]; // 80/TCP, 443:30443/TCP as kubectl prints them
  selector?: Record<string, string>;
  // Offline (-f): the manifest file (`-` for stdin) and the line where the Service's object starts.
  manifest?: { file: string; line: number };
}

export interface Trace {
  apiVersion: 'svc-trace/v1';
  kind: 'Trace';
  source: 'cluster' | 'manifests';
  service: ServiceSummary;
  verdict: Verdict;
  endpoints: { ready: number; total: number } | null; // null when EndpointSlices could not be read (offline)
  hops: Hop[];
  findings: Finding[];
}

export interface ServiceHealthList {
  apiVersion: 'svc-trace/v1';
  kind: 'ServiceHealthList';
  items: Trace[];
}
