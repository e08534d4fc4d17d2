// Does the Service's selector select the pods it should? (selector-matches-no-pods,
// selector-matches-multiple-workloads, no-selector-no-endpoints)

import { formatLabels, hasLabel, labelValue, type Labels } from '../kube/labels.js';
import { editDistance } from '../kube/names.js';
import { hasFinished, workloadOf } from '../kube/pods.js';
import type { Pod } from '../kube/types.js';
import { lookupItems, type Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import type { Finding } from './model.js';
import { podRef, serviceRef } from './refs.js';

export function hasSelector(snapshot: Snapshot): boolean {
  return Object.keys(snapshot.service.spec.selector ?? {}).length > 0;
}

export function analyzeSelector(snapshot: Snapshot): Finding[] {
  const { service, pods } = snapshot;
  if (service.spec.type === 'ExternalName') return [];
  const selector = service.spec.selector ?? {};
  const namespace = service.metadata.namespace ?? 'default';
  if (!hasSelector(snapshot)) {
    if ('skipped' in snapshot.endpointSlices) return [];
    const hasEndpoints = lookupItems(snapshot.endpointSlices).some((slice) => (slice.endpoints ?? []).length > 0);
    return hasEndpoints ? [] : [raise('no-selector-no-endpoints', {}, [serviceRef(service)])];
  }
  if (pods.length === 0) {
    const nearMisses = closestLabelSets(selector, snapshot.otherPods);
    const resources = snapshot.podsFromCustomResources ?? [];
    // A custom resource that merely shares the namespace does not excuse what looks like a typo: a
    // would-be pod with every key of the selector, only other values.
    const typo = snapshot.otherPods.some((pod) => Object.keys(selector).every((key) => hasLabel(pod.metadata.labels, key)));
    if (resources.length > 0 && !(typo && resources.every((r) => r.via === 'namespace'))) {
      const kinds = [...new Set(resources.map((r) => r.kind))];
      return [
        raise('pods-from-custom-resource', { selector: formatLabels(selector), kinds, resources: resources.map((r) => `${r.kind}/${r.name}`), nearMisses }, [
          serviceRef(service),
          ...resources.map(({ kind, name, namespace: where }) => ({ kind, name, namespace: where })),
        ]),
      ];
    }
    return [raise('selector-matches-no-pods', { selector: formatLabels(selector), namespace, nearMisses }, [serviceRef(service)])];
  }
  // A pod that has finished (a Job's Succeeded pod) is never an endpoint, so it is nobody's backend.
  const running = pods.filter((pod) => !hasFinished(pod));
  const workloads = [...new Set(running.map(workloadOf))];
  if (workloads.length > 1) {
    const versionsOf = versionsOfOneApp(running);
    return [
      raise(
        'selector-matches-multiple-workloads',
        { selector: formatLabels(selector), workloads, ...(versionsOf ? { versionsOf } : {}) },
        [serviceRef(service), ...running.map(podRef)],
        versionsOf ? 'info' : 'warning',
      ),
    ];
  }
  return [];
}

// Labels that say which version a pod runs, and labels a controller adds; neither makes another app.
const versionLabels = new Set(['version', 'app.kubernetes.io/version']);
const controllerLabels = new Set(['pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']);

// The app's name when the pods of every workload are one app in several versions: the same
// app.kubernetes.io/name (else app), a version label that differs between the workloads, and no other
// label that differs. Undefined otherwise (two apps behind one selector).
function versionsOfOneApp(pods: Pod[]): string | undefined {
  const byWorkload = new Map<string, Labels>();
  for (const pod of pods) if (!byWorkload.has(workloadOf(pod))) byWorkload.set(workloadOf(pod), pod.metadata.labels ?? {});
  const labelSets = [...byWorkload.values()];
  const nameKey = labelSets.every((labels) => hasLabel(labels, 'app.kubernetes.io/name')) ? 'app.kubernetes.io/name' : 'app';
  const names = new Set(labelSets.map((labels) => labelValue(labels, nameKey)));
  const name = labelValue(labelSets[0], nameKey);
  if (name === undefined || names.size !== 1) return undefined;
  const version = (labels: Labels) => [...versionLabels].map((key) => labelValue(labels, key) ?? '').join('/');
  if (new Set(labelSets.map(version)).size !== labelSets.length || labelSets.some((labels) => version(labels) === '/')) return undefined;
  const rest = (labels: Labels) =>
    formatLabels(Object.fromEntries(Object.entries(labels).filter(([key]) => !versionLabels.has(key) && !controllerLabels.has(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  return new Set(labelSets.map(rest)).size === 1 ? name : undefined;
}

// The workloads whose labels share the most pairs with the selector, with what differs:
// `Deployment/web-v2 has app=web-v2 (selector wants app=web)`.
export function closestLabelSets(selector: Labels, pods: Pod[], max = 2): string[] {
  const byWorkload = new Map<string, Labels>();
  for (const pod of pods) byWorkload.set(workloadOf(pod), pod.metadata.labels ?? {});
  const wanted = Object.entries(selector);
  return [...byWorkload.entries()]
    .map(([workload, labels]) => {
      const shared = wanted.filter(([key, value]) => labelValue(labels, key) === value).length;
      const sameKeys = wanted.filter(([key]) => hasLabel(labels, key));
      // A value a typo away (web / web-v2 / wbe) is nearer than any other value of the same key.
      const likeness = sameKeys.reduce((sum, [key, value]) => sum + 1 - editDistance(value, labels[key]!) / Math.max(value.length, labels[key]!.length), 0);
      return { workload, labels, score: shared * 4 + sameKeys.length * 2 + likeness };
    })
    .filter((candidate) => candidate.score > 0)
    .sort((a, b) => b.score - a.score || a.workload.localeCompare(b.workload))
    .slice(0, max)
    .map(({ workload, labels }) => {
      const differing = wanted
        .filter(([key, value]) => labelValue(labels, key) !== value)
        .map(([key, value]) => (hasLabel(labels, key) ? `${key}=${labels[key]} (selector wants ${value})` : `no ${key} label`));
      return `${workload} has ${differing.join(', ')}`;
    });
}
