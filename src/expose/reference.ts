// `TYPE/NAME` (or `TYPE NAME`) of the workload to expose, with kubectl's resource names and short names.

import { usageError } from '../errors.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Pod';

export interface WorkloadReference {
  kind: WorkloadKind;
  name: string;
}

interface KindInfo {
  resource: string; // kubectl's lower-case plural (the API paths are src/cluster/workloads.ts's)
}

export const workloadKinds: Record<WorkloadKind, KindInfo> = {
  Deployment: { resource: 'deployments' },
  StatefulSet: { resource: 'statefulsets' },
  DaemonSet: { resource: 'daemonsets' },
  ReplicaSet: { resource: 'replicasets' },
  Pod: { resource: 'pods' },
};

// Every spelling kubectl accepts: singular, plural, short name, and the group-qualified forms.
const spellings: Array<[WorkloadKind, string[]]> = [
  ['Deployment', ['deployment', 'deployments', 'deploy']],
  ['StatefulSet', ['statefulset', 'statefulsets', 'sts']],
  ['DaemonSet', ['daemonset', 'daemonsets', 'ds']],
  ['ReplicaSet', ['replicaset', 'replicasets', 'rs']],
  ['Pod', ['pod', 'pods', 'po']],
];

const kindBySpelling = new Map<string, WorkloadKind>(
  spellings.flatMap(([kind, names]) =>
    names.flatMap((name): Array<[string, WorkloadKind]> => (kind === 'Pod' ? [[name, kind]] : [[name, kind], [`${name}.apps`, kind]])),
  ),
);

// Kinds kubectl knows that expose refuses, and why, in one sentence each.
const refused = new Map<string, string>([
  ...['cronjob', 'cronjobs', 'cj', 'cronjob.batch', 'cronjobs.batch'].map(
    (name) => [name, 'a CronJob cannot be exposed: its pods run to completion on a schedule, so a Service would have endpoints only while a job runs'] as const,
  ),
  ...['job', 'jobs', 'job.batch', 'jobs.batch'].map(
    (name) => [name, 'a Job cannot be exposed: its pods run to completion, so a Service would lose its endpoints when the job ends'] as const,
  ),
  ...['replicationcontroller', 'replicationcontrollers', 'rc'].map(
    (name) => [name, 'expose does not read ReplicationControllers, which Deployments have replaced'] as const,
  ),
  ...['service', 'services', 'svc'].map(
    (name) => [name, 'expose creates a Service for a workload; it does not copy a Service'] as const,
  ),
]);

export const supportedHint = 'expose one of: deploy/NAME, sts/NAME, ds/NAME, rs/NAME or pod/NAME (deployment, statefulset, daemonset, replicaset, pod)';

const namePattern = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

// `deploy/web`, or kubectl's two-word form `deployment web`.
export function parseWorkloadReference(argument: string, second?: string): WorkloadReference {
  let type: string;
  let name: string;
  if (argument.includes('/')) {
    if (second !== undefined) throw usageError(`unexpected argument "${second}" after ${argument}`, 'write the workload once, as TYPE/NAME or TYPE NAME');
    [type, name] = [argument.slice(0, argument.indexOf('/')), argument.slice(argument.indexOf('/') + 1)];
  } else if (second !== undefined) {
    [type, name] = [argument, second];
  } else {
    throw usageError(`"${argument}" does not say what kind of workload it is`, `write TYPE/NAME, e.g. deploy/${argument}; ${supportedHint}`);
  }
  const lower = type.toLowerCase();
  const why = refused.get(lower);
  if (why) throw usageError(why, supportedHint);
  const kind = kindBySpelling.get(lower);
  if (!kind) throw usageError(`"${type}" is not a workload type that expose knows`, supportedHint);
  if (!namePattern.test(name) || name.length > 253) {
    throw usageError(`"${name}" is not a valid ${kind} name`, 'names are lower-case letters, digits, "-" and "."; list them with kubectl get ' + workloadKinds[kind].resource);
  }
  return { kind, name };
}

// As kubectl names an object in messages: deployment/web, pod/debug.
export function displayName(reference: WorkloadReference): string {
  return `${reference.kind.toLowerCase()}/${reference.name}`;
}
