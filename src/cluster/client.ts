// `--from`: parse the client reference and look it up (pod, one pod of a Deployment, a node, outside).

import { ApiStatusError, notFoundError, usageError } from '../errors.js';
import { formatLabels } from '../kube/labels.js';
import { requireValidName } from '../kube/names.js';
import type { Node, Pod, Workload } from '../kube/types.js';
import type { Client } from '../snapshot.js';
import type { Gateway } from './gateway.js';
import { isServerFailure, paths } from './lookups.js';

export type ClientReference =
  | { kind: 'generic' }
  | { kind: 'external' }
  | { kind: 'pod'; name: string }
  | { kind: 'deployment'; name: string }
  | { kind: 'node'; name: string };

const kinds: Record<string, ClientReference['kind']> = {
  pod: 'pod', pods: 'pod', po: 'pod',
  deploy: 'deployment', deployment: 'deployment', deployments: 'deployment',
  node: 'node', nodes: 'node', no: 'node',
};

export function parseClientReference(from: string | undefined): ClientReference {
  if (from === undefined) return { kind: 'generic' };
  if (from === 'external') return { kind: 'external' };
  const [prefix, name, extra] = from.split('/');
  if (name === undefined) {
    requireValidName(prefix!, 'pod', 'pod name in --from');
    return { kind: 'pod', name: prefix! };
  }
  const kind = kinds[prefix!.toLowerCase()];
  if (!kind || !name || extra !== undefined || kind === 'generic' || kind === 'external') {
    throw usageError(`--from ${from} is not a client this tool knows`, 'use pod/NAME, deploy/NAME, node/NAME or external');
  }
  requireValidName(name, kind, `${kind} name in --from`);
  return { kind, name } as ClientReference;
}

export async function namespaceLabels(gateway: Gateway, namespace: string): Promise<Record<string, string>> {
  try {
    const object = await gateway.get<{ metadata: { labels?: Record<string, string> } }>(paths.namespace(namespace));
    return object.metadata.labels ?? {};
  } catch (error) {
    // Without read access to namespaces (or when the server fails to answer), the one label the API server always sets still holds.
    if (error instanceof ApiStatusError && (error.status === 403 || error.status === 404)) return { 'kubernetes.io/metadata.name': namespace };
    if (isServerFailure(error)) return { 'kubernetes.io/metadata.name': namespace };
    throw error;
  }
}

async function getPod(gateway: Gateway, namespace: string, name: string): Promise<Pod> {
  try {
    return await gateway.get<Pod>(paths.named(paths.pods(namespace), name));
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) {
      throw notFoundError(`--from: pod ${name} not found in namespace ${namespace}`, `list the pods with: kubectl get pods -n ${namespace}`);
    }
    throw error;
  }
}

async function podOfDeployment(gateway: Gateway, namespace: string, name: string): Promise<Pod> {
  let deployment: Workload;
  try {
    deployment = await gateway.get<Workload>(paths.named(paths.deployments(namespace), name));
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) {
      throw notFoundError(`--from: deployment ${name} not found in namespace ${namespace}`, `list them with: kubectl get deployments -n ${namespace}`);
    }
    throw error;
  }
  const selector = formatLabels(deployment.spec.selector?.matchLabels ?? {});
  const pods = await gateway.list<Pod>(paths.pods(namespace), { labelSelector: selector });
  const pod = pods.find((p) => p.status?.phase === 'Running') ?? pods[0];
  if (!pod) throw notFoundError(`--from: deployment ${name} has no pods`, `scale it up: kubectl scale deployment ${name} -n ${namespace} --replicas=1`);
  return pod;
}

export async function resolveClient(gateway: Gateway, reference: ClientReference, namespace: string): Promise<Client> {
  switch (reference.kind) {
    case 'external':
      return { kind: 'external' };
    case 'generic':
      return { kind: 'generic', namespace, namespaceLabels: await namespaceLabels(gateway, namespace) };
    case 'node': {
      try {
        const node = await gateway.get<Node>(paths.named(paths.nodes(), reference.name));
        return { kind: 'node', name: reference.name, node };
      } catch (error) {
        if (error instanceof ApiStatusError && error.status === 404) {
          throw notFoundError(`--from: node ${reference.name} not found`, 'list the nodes with: kubectl get nodes');
        }
        if (error instanceof ApiStatusError && error.status === 403) return { kind: 'node', name: reference.name };
        throw error;
      }
    }
    case 'pod':
    case 'deployment': {
      const [pod, labels] = await Promise.all([
        reference.kind === 'pod' ? getPod(gateway, namespace, reference.name) : podOfDeployment(gateway, namespace, reference.name),
        namespaceLabels(gateway, namespace),
      ]);
      return { kind: 'pod', pod, namespaceLabels: labels };
    }
  }
}
