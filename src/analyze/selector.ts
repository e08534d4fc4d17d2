// Does the Service's selector select the pods it should? (selector-matches-no-pods,
// selector-matches-multiple-workloads, no-selector-no-endpoints)

import { formatLabels, type Labels } from '../kube/labels.js';
import { editDistance } from '../kube/names.js';
import { workloadOf } from '../kube/pods.js';
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
    return [raise('selector-matches-no-pods', { selector: formatLabels(selector), namespace, nearMisses }, [serviceRef(service)])];
  }
  const workloads = [...new Set(pods.map(workloadOf))];
  if (workloads.length > 1) {
    return [
      raise('selector-matches-multiple-workloads', { selector: formatLabels(selector), workloads }, [
        serviceRef(service),
        ...pods.map(podRef),
      ]),
    ];
  }
  return [];
}

// The workloads whose labels share the most pairs with the selector, with what differs:
// `Deployment/web-v2 has app=web-v2 (selector wants app=web)`.
export function closestLabelSets(selector: Labels, pods: Pod[], max = 2): string[] {
  const byWorkload = new Map<string, Labels>();
  for (const pod of pods) byWorkload.set(workloadOf(pod), pod.metadata.labels ?? {});
  const wanted = Object.entries(selector);
  return [...byWorkload.entries()]
    .map(([workload, labels]) => {
      const shared = wanted.filter(([key, value]) => labels[key] === value).length;
      const sameKeys = wanted.filter(([key]) => key in labels);
      // A value a typo away (web / web-v2 / wbe) is nearer than any other value of the same key.
      const likeness = sameKeys.reduce((sum, [key, value]) => sum + 1 - editDistance(value, labels[key]!) / Math.max(value.length, labels[key]!.length), 0);
      return { workload, labels, score: shared * 4 + sameKeys.length * 2 + likeness };
    })
    .filter((candidate) => candidate.score > 0)
    .sort((a, b) => b.score - a.score || a.workload.localeCompare(b.workload))
    .slice(0, max)
    .map(({ workload, labels }) => {
      const differing = wanted
        .filter(([key, value]) => labels[key] !== value)
        .map(([key, value]) => (key in labels ? `${key}=${labels[key]} (selector wants ${value})` : `no ${key} label`));
      return `${workload} has ${differing.join(', ')}`;
    });
}
