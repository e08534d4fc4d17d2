// The workload expose reads (a Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod). Not found is
// exit 4, naming the missing namespace, or the near names of that kind.

import { ApiStatusError, notFoundError } from '../errors.js';
import { displayName, type WorkloadKind, type WorkloadReference } from '../expose/reference.js';
import { nearestNames } from '../kube/names.js';
import type { KubeObject, Pod, Workload } from '../kube/types.js';
import type { Gateway } from './gateway.js';
import { metadataOnly, paths } from './lookups.js';

// The workloads of one kind in the namespace (pods are in the core API, the others in apps/v1).
function collectionPath(kind: WorkloadKind, namespace: string): string {
  return kind === 'Pod' ? paths.pods(namespace) : paths.workloads(kind, namespace);
}

export async function getWorkload(gateway: Gateway, reference: WorkloadReference, namespace: string): Promise<Workload | Pod> {
  try {
    return await gateway.get<Workload | Pod>(paths.named(collectionPath(reference.kind, namespace), reference.name));
  } catch (error) {
    if (!(error instanceof ApiStatusError && error.status === 404)) throw error;
    const [namespaceExists, others] = await Promise.all([
      gateway.get(paths.namespace(namespace)).then(
        () => true,
        (failure) => !(failure instanceof ApiStatusError && failure.status === 404),
      ),
      gateway.list<KubeObject>(collectionPath(reference.kind, namespace), {}, metadataOnly).catch(() => [] as KubeObject[]),
    ]);
    if (!namespaceExists) throw notFoundError(`namespace "${namespace}" not found`, 'list namespaces with: kubectl get namespaces');
    const near = nearestNames(reference.name, others.map((other) => other.metadata.name));
    const kind = reference.kind.toLowerCase();
    throw notFoundError(
      `${kind} "${reference.name}" not found in namespace "${namespace}"`,
      near.length > 0 ? `did you mean ${near.map((name) => displayName({ kind: reference.kind, name })).join(' or ')}?` : `list them with: kubectl get ${kind}s -n ${namespace}`,
    );
  }
}
