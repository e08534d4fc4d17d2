// `--from`: look the client up in the cluster — a pod by name, one pod of a workload, a node, a generic
// pod of a namespace, or outside — with its namespace's real labels (for NetworkPolicy namespaceSelectors).

import { ApiStatusError, notFoundError } from '../errors.js';
import { describeReference, parseClientReference, type ClientReference } from '../kube/client-reference.js';
import { formatSelector } from '../kube/labels.js';
import type { Node, Pod, Workload } from '../kube/types.js';
import type { Client } from '../snapshot.js';
import type { Gateway } from './gateway.js';
import { isServerFailure, paths } from './lookups.js';
import { defaultNamespaceLabels } from '../snapshot/assemble.js';
import { pickClientPod } from '../snapshot/client-pod.js';

export { parseClientReference, type ClientReference };

export async function namespaceLabels(gateway: Gateway, namespace: string): Promise<Record<string, string>> {
  try {
    const object = await gateway.get<{ metadata: { labels?: Record<string, string> } }>(paths.namespace(namespace));
    return object.metadata.labels ?? {};
  } catch (error) {
    // Without read access to namespaces (or when the server fails to answer), the one label the API server always sets still holds.
    if (error instanceof ApiStatusError && (error.status === 403 || error.status === 404)) return defaultNamespaceLabels(namespace);
    if (isServerFailure(error)) return defaultNamespaceLabels(namespace);
    throw error;
  }
}

// The labels of a namespace the user named for the client: one that does not exist is an error.
async function clientNamespaceLabels(gateway: Gateway, namespace: string, named: boolean): Promise<Record<string, string>> {
  if (!named) return namespaceLabels(gateway, namespace);
  try {
    const object = await gateway.get<{ metadata: { labels?: Record<string, string> } }>(paths.namespace(namespace));
    return object.metadata.labels ?? {};
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) {
      throw notFoundError(`--from: namespace "${namespace}" not found`, 'list the namespaces with: kubectl get namespaces');
    }
    if ((error instanceof ApiStatusError && error.status === 403) || isServerFailure(error)) return defaultNamespaceLabels(namespace);
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

async function podOfWorkload(gateway: Gateway, reference: Extract<ClientReference, { kind: 'workload' }>, namespace: string): Promise<Pod> {
  const what = describeReference(reference);
  const plural = `${reference.workload.toLowerCase()}s`;
  let workload: Workload;
  try {
    workload = await gateway.get<Workload>(paths.named(paths.workloads(reference.workload, namespace), reference.name));
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) {
      throw notFoundError(`--from: ${what} not found in namespace ${namespace}`, `list them with: kubectl get ${plural} -n ${namespace}`);
    }
    throw error;
  }
  const selector = workload.spec.selector ?? {};
  const pods = await gateway.list<Pod>(paths.pods(namespace), { labelSelector: formatSelector(selector) });
  const pod = pickClientPod(pods);
  if (!pod) throw notFoundError(`--from: ${what} has no pods in namespace ${namespace}`, `start one first (kubectl get ${plural} ${reference.name} -n ${namespace})`);
  return pod;
}

export async function resolveClient(gateway: Gateway, reference: ClientReference, serviceNamespace: string): Promise<Client> {
  switch (reference.kind) {
    case 'external':
      return { kind: 'external' };
    case 'generic': {
      const namespace = reference.namespace ?? serviceNamespace;
      return { kind: 'generic', namespace, namespaceLabels: await clientNamespaceLabels(gateway, namespace, namespace !== serviceNamespace) };
    }
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
    case 'workload': {
      const namespace = reference.namespace ?? serviceNamespace;
      const [pod, labels] = await Promise.all([
        reference.kind === 'pod' ? getPod(gateway, namespace, reference.name) : podOfWorkload(gateway, reference, namespace),
        namespaceLabels(gateway, namespace),
      ]);
      return { kind: 'pod', pod, namespaceLabels: labels, ...(reference.kind === 'workload' ? { of: describeReference(reference) } : {}) };
    }
  }
}
