// `--from` in offline mode: the client looked up in the manifests the way the cluster gatherer looks it
// up in the API — a pod by name (bare or would-be), one pod a workload's selector selects, a node, a
// generic pod of a namespace, or outside — with the same errors (exit 4 for a client that is not there).

import { notFoundError } from '../errors.js';
import { describeReference, type ClientReference } from '../kube/client-reference.js';
import { matchesSelector } from '../kube/labels.js';
import type { Node, Pod, Workload } from '../kube/types.js';
import type { Client } from '../snapshot.js';
import { defaultNamespaceLabels } from '../snapshot/assemble.js';
import { pickClientPod } from '../snapshot/client-pod.js';

export interface ClientManifests {
  pods: Pod[]; // bare Pods and would-be pods
  workloads: Workload[];
  nodes: Node[];
  namespaceLabels: Record<string, Record<string, string>>;
}

const labelsOf = (manifests: ClientManifests, namespace: string) =>
  manifests.namespaceLabels[namespace] ?? defaultNamespaceLabels(namespace);

export function offlineClient(reference: ClientReference, serviceNamespace: string, manifests: ClientManifests): Client {
  switch (reference.kind) {
    case 'external':
      return { kind: 'external' };
    case 'generic': {
      const namespace = reference.namespace ?? serviceNamespace;
      return { kind: 'generic', namespace, namespaceLabels: labelsOf(manifests, namespace) };
    }
    case 'node': {
      const node = manifests.nodes.find((candidate) => candidate.metadata.name === reference.name);
      // Manifests rarely hold Nodes: only when they do can a node be missing from them.
      if (!node && manifests.nodes.length > 0) {
        throw notFoundError(`--from: node ${reference.name} not found in the manifests`, `the manifests hold nodes ${manifests.nodes.map((n) => n.metadata.name).slice(0, 5).join(', ')}`);
      }
      return node ? { kind: 'node', name: reference.name, node } : { kind: 'node', name: reference.name };
    }
    case 'pod': {
      const namespace = reference.namespace ?? serviceNamespace;
      const pod = manifests.pods.find((candidate) => candidate.metadata.namespace === namespace && candidate.metadata.name === reference.name);
      if (!pod) {
        const names = manifests.pods.filter((candidate) => candidate.metadata.namespace === namespace).map((candidate) => candidate.metadata.name);
        throw notFoundError(
          `--from: pod ${reference.name} not found in namespace ${namespace} of the manifests`,
          names.length > 0
            ? `pods (and would-be pods of workloads) there: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` + ${names.length - 5} more` : ''}`
            : `the manifests hold no pod or workload in namespace ${namespace}`,
        );
      }
      return { kind: 'pod', pod, namespaceLabels: labelsOf(manifests, namespace) };
    }
    case 'workload': {
      const namespace = reference.namespace ?? serviceNamespace;
      const what = describeReference(reference);
      const workload = manifests.workloads.find(
        (candidate) => candidate.kind === reference.workload && candidate.metadata.namespace === namespace && candidate.metadata.name === reference.name,
      );
      if (!workload) throw notFoundError(`--from: ${what} not found in namespace ${namespace} of the manifests`, `check the kind and name (kind: ${reference.workload})`);
      // Its own would-be pod first (a Job's selector is the API server's to set), else what its selector selects.
      const inNamespace = manifests.pods.filter((candidate) => candidate.metadata.namespace === namespace);
      const owned = inNamespace.filter((candidate) =>
        candidate.metadata.ownerReferences?.some((owner) => owner.controller && owner.kind === workload.kind && owner.name === workload.metadata.name),
      );
      const selector = workload.spec.selector;
      const selected = selector ? inNamespace.filter((candidate) => matchesSelector(selector, candidate.metadata.labels)) : [];
      const pod = pickClientPod(owned.length > 0 ? owned : selected);
      if (!pod) throw notFoundError(`--from: ${what} would have no pods: its selector selects none of its template's labels`, 'make spec.selector match spec.template.metadata.labels');
      return { kind: 'pod', pod, namespaceLabels: labelsOf(manifests, namespace), of: what };
    }
  }
}
