// Label selectors with the API's semantics (k8s.io/apimachinery/pkg/labels).

import type { LabelSelector } from './types.js';

export type Labels = Record<string, string>;

// The value of a label, or undefined. Own properties only: a pod without a label `constructor` or
// `toString` does not have it, whatever Object.prototype says.
export function labelValue(labels: Labels | undefined, key: string): string | undefined {
  return labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;
}

export function hasLabel(labels: Labels | undefined, key: string): boolean {
  return labels !== undefined && Object.hasOwn(labels, key);
}

// A Service selector (a plain map) selects a pod when every pair is among the pod's labels.
// An empty map selects nothing for a Service; callers decide what an empty map means.
export function matchesLabels(selector: Labels, labels: Labels | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labelValue(labels, key) === value);
}

// A metav1.LabelSelector: matchLabels AND every matchExpression. An empty selector ({}) selects everything.
export function matchesSelector(selector: LabelSelector, labels: Labels | undefined): boolean {
  if (!matchesLabels(selector.matchLabels ?? {}, labels)) return false;
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labelValue(labels, key);
    switch (operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
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
