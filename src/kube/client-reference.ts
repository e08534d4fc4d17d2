// `--from [NAMESPACE/]KIND/NAME`, `--from external` and `--from-namespace NS`: where the packet starts,
// parsed (and its syntax checked) before any request, in kubectl's resource words. Pure.

import { usageError } from '../errors.js';
import { requireValidName } from './names.js';

// The workloads whose pods a client may be: one of the pods their selector selects.
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job';

// `namespace` absent: the Service's namespace (as `-n` gives it).
export type ClientReference =
  | { kind: 'generic'; namespace?: string } // an unlabelled pod (default; --from-namespace NS)
  | { kind: 'external' }
  | { kind: 'pod'; name: string; namespace?: string }
  | { kind: 'workload'; workload: WorkloadKind; name: string; namespace?: string }
  | { kind: 'node'; name: string };

// kubectl's words for each kind (singular, plural, short name), lower case as kubectl accepts them.
const kinds = new Map<string, 'Pod' | 'Node' | WorkloadKind>([
  ...['pod', 'pods', 'po'].map((word) => [word, 'Pod'] as const),
  ...['node', 'nodes', 'no'].map((word) => [word, 'Node'] as const),
  ...['deploy', 'deployment', 'deployments'].map((word) => [word, 'Deployment'] as const),
  ...['sts', 'statefulset', 'statefulsets'].map((word) => [word, 'StatefulSet'] as const),
  ...['ds', 'daemonset', 'daemonsets'].map((word) => [word, 'DaemonSet'] as const),
  ...['rs', 'replicaset', 'replicasets'].map((word) => [word, 'ReplicaSet'] as const),
  ...['job', 'jobs'].map((word) => [word, 'Job'] as const),
]);

const accepted = 'use [NAMESPACE/]KIND/NAME with KIND one of pod (po), deploy, sts, ds, rs, job, node (no), or external';

// Names as the API server checks them (pods, workloads and nodes: DNS-1123 subdomains).
function checkNamespace(namespace: string, given: string): string {
  requireValidName(namespace, 'namespace', `namespace in ${given}`);
  return namespace;
}

function checkName(name: string, kind: 'Pod' | 'Node' | WorkloadKind): string {
  requireValidName(name, 'pod', `${kind.toLowerCase()} name in --from`);
  return name;
}

export function parseClientReference(from: string | undefined, fromNamespace?: string): ClientReference {
  const namespace = fromNamespace === undefined ? undefined : checkNamespace(fromNamespace, '--from-namespace');
  if (from === undefined) return namespace === undefined ? { kind: 'generic' } : { kind: 'generic', namespace };
  if (from === 'external') {
    if (namespace !== undefined) throw usageError('--from external is outside every namespace', 'drop --from-namespace, or drop --from external');
    return { kind: 'external' };
  }
  const parts = from.split('/');
  if (parts.length > 3 || parts.some((part) => part === '')) throw usageError(`--from ${from} is not a client this tool knows`, accepted);
  if (parts.length === 1) return withNamespace({ kind: 'pod', name: checkName(parts[0]!, 'Pod') }, namespace);
  const word = parts[parts.length - 2]!;
  const kind = kinds.get(word.toLowerCase());
  if (!kind) throw usageError(`--from ${from}: "${word}" is not a kind of client this tool knows`, accepted);
  const name = checkName(parts[parts.length - 1]!, kind);
  const prefix = parts.length === 3 ? checkNamespace(parts[0]!, `--from ${from}`) : undefined;
  if (kind === 'Node') {
    if (prefix !== undefined || namespace !== undefined) {
      throw usageError(`--from ${from}: nodes belong to no namespace`, `write --from node/${name}, without a namespace`);
    }
    return { kind: 'node', name };
  }
  if (prefix !== undefined && namespace !== undefined && prefix !== namespace) {
    throw usageError(`--from ${from} names namespace ${prefix} but --from-namespace says ${namespace}`, 'give the namespace once');
  }
  const reference: ClientReference = kind === 'Pod' ? { kind: 'pod', name } : { kind: 'workload', workload: kind, name };
  return withNamespace(reference, prefix ?? namespace);
}

function withNamespace(reference: Extract<ClientReference, { kind: 'pod' | 'workload' }>, namespace: string | undefined): ClientReference {
  return namespace === undefined ? reference : { ...reference, namespace };
}

// `deploy/web` → `deployment web`, for messages.
export function describeReference(reference: Extract<ClientReference, { kind: 'workload' }>): string {
  return `${reference.workload.toLowerCase()} ${reference.name}`;
}
