// The cluster fixtures (Service + EndpointSlices as kube-apiserver 1.34 serves them) that forward reads.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EndpointSlice, Service } from '../../../src/kube/types.js';

export interface ServiceFixture {
  service: Service;
  slices: EndpointSlice[];
}

export function loadFixture(name: string): ServiceFixture {
  const file = JSON.parse(readFileSync(path.resolve('test/fixtures/cluster', `${name}.json`), 'utf8')) as {
    service: Service;
    endpointSlices: { items: EndpointSlice[] };
  };
  return { service: file.service, slices: file.endpointSlices.items };
}

// A copy of a slice with one endpoint's conditions replaced, as the controller rewrites it.
export function withConditions(slice: EndpointSlice, pod: string, conditions: { ready: boolean; serving: boolean; terminating: boolean }): EndpointSlice {
  return {
    ...slice,
    endpoints: (slice.endpoints ?? []).map((endpoint) => (endpoint.targetRef?.name === pod ? { ...endpoint, conditions } : endpoint)),
  };
}

// A copy of a slice without one pod's endpoint (the pod was deleted).
export function without(slice: EndpointSlice, pod: string): EndpointSlice {
  return { ...slice, endpoints: (slice.endpoints ?? []).filter((endpoint) => endpoint.targetRef?.name !== pod) };
}
