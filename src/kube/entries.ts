// The objects that stand in front of Services, as the API server returns them in JSON:
// networking.k8s.io/v1 Ingress and IngressClass, and the Gateway API (gateway.networking.k8s.io)
// Gateway, GatewayClass, HTTPRoute, GRPCRoute and ReferenceGrant. Only the fields svc-trace reads.

import type { KubeObject, LoadBalancerIngress } from './types.js';

// --- networking.k8s.io/v1 ---

export interface IngressServiceBackend {
  name: string;
  port?: { name?: string; number?: number };
}

export interface IngressBackend {
  service?: IngressServiceBackend;
  resource?: { apiGroup?: string; kind: string; name: string };
}

export interface HTTPIngressPath {
  path?: string;
  pathType?: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths: HTTPIngressPath[] };
}

export interface IngressTLS {
  hosts?: string[];
  secretName?: string;
}

export interface Ingress extends KubeObject {
  spec: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    rules?: IngressRule[];
    tls?: IngressTLS[];
  };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

export interface IngressClass extends KubeObject {
  spec: { controller?: string; parameters?: unknown };
}

// What svc-trace ever keeps of a Secret: that it exists (its name). Its data is never requested.
export interface SecretName {
  namespace: string;
  name: string;
}

// --- gateway.networking.k8s.io ---

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export interface ParentReference {
  group?: string; // default gateway.networking.k8s.io
  kind?: string; // default Gateway
  namespace?: string; // default: the route's
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendRef {
  group?: string; // default "" (core)
  kind?: string; // default Service
  name: string;
  namespace?: string; // default: the route's
  port?: number;
  weight?: number;
}

export interface RouteRule {
  name?: string;
  matches?: Array<Record<string, unknown>>;
  backendRefs?: BackendRef[];
}

export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName?: string;
  conditions?: Condition[];
}

// HTTPRoute and GRPCRoute share every field svc-trace reads.
export interface Route extends KubeObject {
  spec: {
    parentRefs?: ParentReference[];
    hostnames?: string[];
    rules?: RouteRule[];
  };
  status?: { parents?: RouteParentStatus[] };
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  allowedRoutes?: { namespaces?: { from?: 'Same' | 'All' | 'Selector' | 'None' } };
}

export interface Gateway extends KubeObject {
  spec: {
    gatewayClassName: string;
    listeners?: Listener[];
    addresses?: Array<{ type?: string; value: string }>;
  };
  status?: {
    addresses?: Array<{ type?: string; value: string }>;
    conditions?: Condition[];
    listeners?: Array<{ name: string; attachedRoutes?: number; conditions?: Condition[] }>;
  };
}

export interface GatewayClass extends KubeObject {
  spec: { controllerName: string };
  status?: { conditions?: Condition[] };
}

export interface ReferenceGrant extends KubeObject {
  spec: {
    from: Array<{ group: string; kind: string; namespace: string }>;
    to: Array<{ group: string; kind: string; name?: string }>;
  };
}

export const gatewayGroup = 'gateway.networking.k8s.io';
