// What expose reads from a workload: the labels that select its pods and its pod template.
//
// Controllers (Deployment, StatefulSet, DaemonSet, ReplicaSet): the selector is spec.selector.matchLabels.
// A selector with matchExpressions is refused: a Service selector is a plain map, and matchLabels
// alone would select pods the workload does not own.
// Pod: its own labels, less the ones a controller stamps per revision (pod-template-hash,
// controller-revision-hash, pod-template-generation), which change at every rollout and would leave
// the Service without endpoints. A bare Pod carries none of them, so it keeps all its labels;
// a StatefulSet pod keeps statefulset.kubernetes.io/pod-name, so the Service selects that one pod.

import { usageError } from '../errors.js';
import { formatLabels, formatSelector, matchesLabels } from '../kube/labels.js';
import type { Pod, PodSpec, Workload } from '../kube/types.js';
import { displayName, type WorkloadKind, type WorkloadReference } from './reference.js';

export interface ExposedWorkload {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  display: string; // deployment/web
  labels: Record<string, string>; // become the Service's own labels, as kubectl expose does
  templateLabels: Record<string, string>;
  selector: Record<string, string>;
  podSpec: PodSpec;
  // Said on stderr before anything else: what expose decided that the user may not expect.
  notes: string[];
}

export const revisionLabels = ['pod-template-hash', 'controller-revision-hash', 'pod-template-generation'];
const statefulSetPodName = 'statefulset.kubernetes.io/pod-name';

export function exposedWorkload(reference: WorkloadReference, object: Workload | Pod, namespace: string, selectorFlag?: Record<string, string>): ExposedWorkload {
  const display = displayName(reference);
  const base = { kind: reference.kind, name: reference.name, namespace, display };
  if (reference.kind === 'Pod') {
    const pod = object as Pod;
    const labels = withoutRevisionLabels(pod.metadata.labels ?? {});
    const notes: string[] = [];
    const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller);
    const selector = selectorFlag ?? labels;
    if (Object.keys(selector).length === 0) {
      throw usageError(
        `${display} has no labels, and a Service selects its pods by label`,
        `label the pod first (kubectl label pod ${reference.name} -n ${namespace} app=${reference.name}), or pass --selector`,
      );
    }
    if (owner && !selectorFlag) {
      const podName = selector[statefulSetPodName];
      notes.push(
        podName
          ? `${display} belongs to ${owner.kind} ${owner.name}: the Service selects this one pod (${statefulSetPodName}=${podName}); expose ${owner.kind.toLowerCase()}/${owner.name} for all its pods`
          : `${display} belongs to ${owner.kind} ${owner.name}: the Service selects every pod labelled ${formatLabels(selector)}; expose the ${owner.kind === 'ReplicaSet' ? 'Deployment or ReplicaSet' : owner.kind} to follow the workload`,
      );
    }
    ensureSelects(selectorFlag, display, pod.metadata.labels ?? {});
    return { ...base, labels, templateLabels: pod.metadata.labels ?? {}, selector, podSpec: pod.spec, notes };
  }
  const workload = object as Workload;
  const template = workload.spec.template;
  if (!template) throw usageError(`${display} has no pod template`, 'check the object with kubectl get ' + display + ' -o yaml');
  const templateLabels = template.metadata?.labels ?? {};
  const workloadSelector = workload.spec.selector ?? {};
  let selector: Record<string, string>;
  if (selectorFlag) {
    selector = selectorFlag;
  } else if ((workloadSelector.matchExpressions ?? []).length > 0) {
    throw usageError(
      `${display} selects its pods with matchExpressions (${formatSelector(workloadSelector)}), which a Service selector cannot express: it is a plain map of labels`,
      `pass --selector with labels that only its pods carry (its pod template has ${formatLabels(templateLabels)})`,
    );
  } else {
    selector = workloadSelector.matchLabels ?? {};
    if (Object.keys(selector).length === 0) {
      throw usageError(`${display} has an empty selector`, `pass --selector with labels that only its pods carry (its pod template has ${formatLabels(templateLabels)})`);
    }
  }
  ensureSelects(selectorFlag, display, templateLabels);
  return { ...base, labels: workload.metadata.labels ?? {}, templateLabels, selector, podSpec: template.spec, notes: [] };
}

function withoutRevisionLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !revisionLabels.includes(key)));
}

// --selector must select the workload's own pods, or the Service would never reach them.
function ensureSelects(selectorFlag: Record<string, string> | undefined, display: string, podLabels: Record<string, string>): void {
  if (selectorFlag && !matchesLabels(selectorFlag, podLabels)) {
    throw usageError(
      `--selector ${formatLabels(selectorFlag)} does not select the pods of ${display}, which are labelled ${formatLabels(podLabels)}`,
      'pass labels that its pods carry, or leave --selector out',
    );
  }
}
