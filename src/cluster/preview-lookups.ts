// What expose's preview trace reads for a Service that does not exist yet: the live pods its
// selector would select (else the names of the others, for near misses), what the trace of an
// existing Service would read (nodes for node ports, NetworkPolicies), and the namespace's client.

import type { PreviewLookups } from '../expose/preview.js';
import type { NetworkPolicy, Node, Service } from '../kube/types.js';
import { resolveClient } from './client.js';
import { listSelectedPods } from './follow.js';
import type { Gateway } from './gateway.js';
import { optional, paths } from './lookups.js';
import { listPodLabels } from './pod-labels.js';

export async function previewLookups(gateway: Gateway, service: Service): Promise<PreviewLookups> {
  const namespace = service.metadata.namespace!;
  const outside = service.spec.type === 'NodePort' || service.spec.type === 'LoadBalancer';
  const [pods, nodes, networkPolicies, client] = await Promise.all([
    listSelectedPods(gateway, namespace, service.spec.selector ?? {}),
    outside ? optional('nodes', () => gateway.list<Node>(paths.nodes())) : Promise.resolve({ skipped: 'nodes not needed for this Service' }),
    optional('networkpolicies', () => gateway.list<NetworkPolicy>(paths.networkPolicies(namespace))),
    resolveClient(gateway, { kind: 'generic' }, namespace),
  ]);
  const otherPods = pods.length === 0 ? await listPodLabels(gateway, namespace) : [];
  return { pods, otherPods, nodes, networkPolicies, client };
}
