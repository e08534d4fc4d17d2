// Scenario not-ready (test/fixtures/apiserver/not-ready): web has 3 pods, one failing its readiness probe.

import type { EndpointSlice, KubeObject, Pod } from '../../src/kube/types.js';
import { scenarioObjects, type FakeApiServer } from '../support/apiserver.js';

// The not-ready pod of scenario not-ready as the kubelet reports it once its readiness probe passes,
// and the slice as the EndpointSlice controller then rewrites it.
export function becomeReady(server: FakeApiServer): void {
  const objects = scenarioObjects('not-ready');
  const pod = structuredClone((objects.get('pods') as Pod[]).find((p) => p.metadata.name === 'web-7d4b9c8f6-tq5vd')!);
  for (const condition of pod.status!.conditions!) {
    if (condition.type === 'Ready' || condition.type === 'ContainersReady') {
      condition.status = 'True';
      (condition as { lastTransitionTime?: string }).lastTransitionTime = '2025-06-02T08:33:02Z';
      delete condition.reason;
      delete condition.message;
    }
  }
  pod.status!.containerStatuses![0]!.ready = true;
  server.apply('pods', pod);
  const slice = structuredClone((objects.get('endpointslices') as EndpointSlice[])[0]!);
  for (const endpoint of slice.endpoints!) endpoint.conditions = { ready: true, serving: true, terminating: false };
  (slice.metadata as KubeObject['metadata'] & { generation?: number }).generation = 5;
  server.apply('endpointslices', slice);
}
