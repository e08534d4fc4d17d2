// Offline mode's would-be pods: bare Pods as written, and the pods each workload's template would make,
// with the labels its controller adds where offline mode can know them (src/cluster/offline.ts).

import type { KubeObject, NetworkPolicy, Pod, PodTemplateSpec, Service, Workload } from '../kube/types.js';
import { withContainerDefaults, withPodDefaults } from './manifest-defaults.js';

export const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

// Bare Pods as they are, and one pod per workload template, named after its workload (a name already
// taken in the namespace gets the kind appended: `web-statefulset`). A workload is left out when
// something else in the manifests already stands for its pods: its controller is in the manifests
// (a Deployment's ReplicaSet, a CronJob's Job), or real Pods it controls are (a `kubectl get all` dump).
export function podsOf(known: KubeObject[]): Pod[] {
  const keys = selectedKeys(known);
  const pods = known.filter((object) => object.kind === 'Pod').map((pod) => withPodDefaults(pod as Pod));
  const workloads = known.filter((object) => workloadKinds.includes(object.kind!)) as Workload[];
  const represented = representedWorkloads(workloads, pods);
  const taken = new Set(pods.map((pod) => `${pod.metadata.namespace}/${pod.metadata.name}`));
  for (const workload of workloads) {
    const template = templateOf(workload);
    if (!template || represented.has(workload)) continue;
    const namespace = workload.metadata.namespace!;
    const ordinals = ordinalsOf(workload, keys);
    if (ordinals) {
      for (const ordinal of ordinals) pods.push(wouldBePod(workload, template, `${workload.metadata.name}-${ordinal}`, ordinal));
      continue;
    }
    let name = workload.metadata.name;
    if (taken.has(`${namespace}/${name}`)) name = `${name}-${workload.kind!.toLowerCase()}`;
    taken.add(`${namespace}/${name}`);
    pods.push(wouldBePod(workload, template, name));
  }
  return pods;
}

// The label keys that some selector in the manifests uses (Service selectors, NetworkPolicy pod selectors).
function selectedKeys(known: KubeObject[]): Set<string> {
  const keys = new Set<string>();
  for (const object of known) {
    if (object.kind === 'Service') for (const key of Object.keys((object as Service).spec?.selector ?? {})) keys.add(key);
    if (object.kind === 'NetworkPolicy') {
      const selector = (object as NetworkPolicy).spec?.podSelector;
      for (const key of Object.keys(selector?.matchLabels ?? {})) keys.add(key);
      for (const expression of selector?.matchExpressions ?? []) keys.add(expression.key);
    }
  }
  return keys;
}

const podNameLabel = 'statefulset.kubernetes.io/pod-name';
const podIndexLabel = 'apps.kubernetes.io/pod-index';
const completionIndexLabel = 'batch.kubernetes.io/job-completion-index';
const maxOrdinals = 1000;

// One would-be pod per ordinal (a StatefulSet's pods, an Indexed Job's completions), but only where a
// selector tells the pods apart by it: otherwise one pod stands for them all.
function ordinalsOf(workload: Workload, keys: Set<string>): number[] | undefined {
  const spec = workload.spec as Workload['spec'] & { ordinals?: { start?: number }; completions?: number; completionMode?: string };
  let start = 0;
  let count: number;
  if (workload.kind === 'StatefulSet' && (keys.has(podNameLabel) || keys.has(podIndexLabel))) {
    start = spec.ordinals?.start ?? 0;
    count = spec.replicas ?? 1;
  } else if (workload.kind === 'Job' && spec.completionMode === 'Indexed' && keys.has(completionIndexLabel)) {
    count = spec.completions ?? 1;
  } else {
    return undefined;
  }
  return Array.from({ length: Math.min(Math.max(count, 1), maxOrdinals) }, (_, index) => start + index);
}

function templateOf(workload: Workload): PodTemplateSpec | undefined {
  const template = workload.kind === 'CronJob' ? workload.spec?.jobTemplate?.spec?.template : workload.spec?.template;
  return template && typeof template === 'object' ? template : undefined;
}

function representedWorkloads(workloads: Workload[], pods: Pod[]): Set<Workload> {
  const controllerOf = (object: KubeObject): Workload | undefined => {
    const reference = object.metadata.ownerReferences?.find((owner) => owner.controller);
    if (!reference) return undefined;
    return workloads.find(
      (workload) =>
        workload.metadata.namespace === object.metadata.namespace &&
        workload.kind === reference.kind &&
        (reference.uid && workload.metadata.uid ? reference.uid === workload.metadata.uid : reference.name === workload.metadata.name),
    );
  };
  const represented = new Set<Workload>(workloads.filter((workload) => controllerOf(workload)));
  for (const pod of pods) {
    const seen = new Set<Workload>(); // ownerReferences written by hand may go round in a circle
    for (let owner = controllerOf(pod); owner && !seen.has(owner); owner = controllerOf(owner)) {
      seen.add(owner);
      represented.add(owner);
    }
  }
  return represented;
}

// What the controller would create: the template's labels and spec, owned by the workload, no status
// (its live state is unknown), and the labels its controller adds whose value is known offline: Jobs'
// job-name, a StatefulSet pod's name and index, an Indexed Job pod's completion index.
function wouldBePod(workload: Workload, template: PodTemplateSpec, name: string, ordinal?: number): Pod {
  const labels = { ...template.metadata?.labels };
  if (workload.kind === 'Job' && !(workload.spec as { manualSelector?: boolean }).manualSelector) {
    labels['batch.kubernetes.io/job-name'] ??= workload.metadata.name;
    labels['job-name'] ??= workload.metadata.name;
  }
  if (ordinal !== undefined && workload.kind === 'StatefulSet') {
    labels[podNameLabel] = name;
    labels[podIndexLabel] = String(ordinal);
  }
  if (ordinal !== undefined && workload.kind === 'Job') labels[completionIndexLabel] = String(ordinal);
  const owner = {
    apiVersion: workload.apiVersion!,
    kind: workload.kind!,
    name: workload.metadata.name,
    ...(workload.metadata.uid ? { uid: workload.metadata.uid } : {}),
    controller: true,
  };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: workload.metadata.namespace,
      labels,
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [owner],
    },
    spec: withContainerDefaults(template.spec ?? { containers: [] }),
  };
  wouldBePods.set(pod, unknowableLabels[workload.kind!] ?? []);
  return pod;
}

// Labels a controller adds whose value offline mode cannot know (a hash of the template, a revision, a
// generation, an object's uid, a scheduled Job's name), by the workload kind that owns the pod.
const unknowableLabels: Record<string, string[]> = {
  Deployment: ['pod-template-hash'],
  StatefulSet: ['controller-revision-hash'],
  DaemonSet: ['controller-revision-hash', 'pod-template-generation'],
  Job: ['batch.kubernetes.io/controller-uid', 'controller-uid'],
  CronJob: ['batch.kubernetes.io/controller-uid', 'controller-uid', 'batch.kubernetes.io/job-name', 'job-name'],
};
const wouldBePods = new WeakMap<Pod, string[]>();

// A would-be pod as one Service's selector sees it: a label whose value is unknowable offline is taken to
// have the value the selector asks for (a real pod of that controller has the label, with some value).
export function asSelectedBy(pod: Pod, selector: Record<string, string>): Pod {
  const unknowable = (wouldBePods.get(pod) ?? []).filter((key) => Object.hasOwn(selector, key) && !Object.hasOwn(pod.metadata.labels ?? {}, key));
  if (unknowable.length === 0) return pod;
  const labels = { ...pod.metadata.labels, ...Object.fromEntries(unknowable.map((key) => [key, selector[key]!])) };
  return { ...pod, metadata: { ...pod.metadata, labels } };
}
