// Label selectors with the API's semantics (k8s.io/apimachinery/pkg/labels).

import type { LabelSelector } from './types.js';

export type Labels = Record<string, string>;

// A Service selector (a plain map) selects a pod when every pair is among the pod's labels.
// An empty map selects nothing for a Service; callers decide what an empty map means.
export function matchesLabels(selector: Labels, labels: Labels | undefined): boolean {
  const have = labels ?? {};
  return Object.entries(selector).every(([key, value]) => have[key] === value);
}

// A metav1.LabelSelector: matchLabels AND every matchExpression. An empty selector ({}) selects everything.
export function matchesSelector(selector: LabelSelector, labels: Labels | undefined): boolean {
  const have = labels ?? {};
  if (!matchesLabels(selector.matchLabels ?? {}, have)) return false;
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in have && values.includes(have[key]);
      case 'NotIn':
        return !(key in have) || !values.includes(have[key]);
      case 'Exists':
        return key in have;
      case 'DoesNotExist':
        return !(key in have);
      default:
        return false;
    }
  });
}

// `app=web,tier=front`, as kubectl prints a selector and as the labelSelector query parameter takes it.
export function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? '<none>' : entries.map(([key, value]) => `${key}=${value}`).join(',');
}

export function formatSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
    else parts.push(`${key} ${operator.toLowerCase()} (${values.join(',')})`);
  }
  return parts.length === 0 ? '<all>' : parts.join(',');
}
