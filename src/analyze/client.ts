// The client hop: where the packet starts (`--from`).

import type { Snapshot } from '../snapshot.js';
import type { ClientHop } from './model.js';

export function clientHop(snapshot: Snapshot): ClientHop {
  const { client } = snapshot;
  const base = { kind: 'client' as const, status: 'ok' as const, notes: [] };
  switch (client.kind) {
    case 'pod': {
      const { pod } = client;
      const description = { kind: 'pod' as const, name: pod.metadata.name, namespace: pod.metadata.namespace, node: pod.spec.nodeName, ip: pod.status?.podIP };
      return { ...base, summary: `pod ${pod.metadata.namespace}/${pod.metadata.name}${pod.spec.nodeName ? ` on ${pod.spec.nodeName}` : ''}${client.of ? ` (one of ${client.of})` : ''}`, client: description };
    }
    case 'generic':
      return { ...base, summary: `a pod in namespace ${client.namespace}`, client: { kind: 'generic', namespace: client.namespace } };
    case 'node':
      return { ...base, summary: `node ${client.name} (host network)`, client: { kind: 'node', name: client.name, node: client.name } };
    case 'external':
      return { ...base, summary: 'outside the cluster', client: { kind: 'external' } };
  }
}
