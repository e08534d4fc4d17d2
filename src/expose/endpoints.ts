// When a new Service's EndpointSlices are worth tracing: once they hold an address for every pod
// that the EndpointSlice controller would list (a pod with an IP that is not finished or being
// deleted). With no such pod, the controller's first (empty) slice is enough.

import type { EndpointSlice, Pod } from '../kube/types.js';

export function expectedAddresses(pods: Pod[]): number {
  return pods.filter((pod) => pod.status?.podIP && pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed' && !pod.metadata.deletionTimestamp).length;
}

export function slicesComplete(slices: EndpointSlice[], expected: number): boolean {
  if (expected === 0) return slices.length > 0;
  const addresses = new Set(slices.flatMap((slice) => (slice.endpoints ?? []).flatMap((endpoint) => endpoint.addresses)));
  return addresses.size >= expected;
}
