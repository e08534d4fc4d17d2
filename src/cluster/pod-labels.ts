// The pods of a namespace by their labels only (a metadata-only list): the near misses of a selector
// that selects none of them (src/snapshot/assemble.ts, needsNearMisses).

import type { KubeObject, Pod } from '../kube/types.js';
import type { Gateway } from './gateway.js';
import { metadataOnly, paths } from './lookups.js';

export async function listPodLabels(gateway: Gateway, namespace: string): Promise<Pod[]> {
  const objects = await gateway.list<KubeObject>(paths.pods(namespace), {}, metadataOnly);
  return objects.map((object): Pod => ({ metadata: object.metadata, spec: { containers: [] } }));
}
