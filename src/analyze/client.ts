// The client hop: where the packet starts (`--from`). It raises no finding of its own.

import type { Snapshot } from '../snapshot.js';
import type { HopResult } from './hop.js';
import type { ClientHop } from './model.js';

export function clientHop(snapshot: Snapshot): HopResult<ClientHop> {
  return { hop: { kind: 'client', status: 'ok', notes: [], ...described(snapshot.client) }, findings: [] };
}

function described(client: Snapshot['client']): Pick<ClientHop, 'summary' | 'client'> {
  switch (client.kind) {
    case 'pod': {
      const { pod } = client;
      const description = { kind: 'pod' as const, name: pod.metadata.name, namespace: pod.metadata.namespace, node: pod.spec.nodeName, ip: pod.status?.podIP };
      return { summary: `pod ${pod.metadata.namespace}/${pod.metadata.name}${pod.spec.nodeName ? ` on ${pod.spec.nodeName}` : ''}${client.of ? ` (one of ${client.of})` : ''}`, client: description };
    }
    case 'generic':
      return { summary: `a pod in namespace ${client.namespace}`, client: { kind: 'generic', namespace: client.namespace } };
    case 'node':
      return { summary: `node ${client.name} (host network)`, client: { kind: 'node', name: client.name, node: client.name } };
    case 'external':
      return { summary: 'outside the cluster', client: { kind: 'external' } };
  }
}
