// "Did you mean": the candidates nearest to a mistyped name, by edit distance; and names checked as the API checks them.

import { usageError } from '../errors.js';

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

// Names within a third of the name's length (at least 2 edits), or that contain it, nearest first.
export function nearestNames(name: string, candidates: string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: candidate.includes(name) || name.includes(candidate) ? 1 : editDistance(name, candidate) }))
    .filter(({ candidate, distance }) => candidate !== name && distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, max)
    .map(({ candidate }) => candidate);
}

// Names as the API server validates them (apimachinery's DNS-1123 and DNS-1035 rules), checked before
// any request: a name can then never inject a path or a query, and a typo gets the rule, not a 404.
export type NameRule = 'DNS-1123 label' | 'DNS-1035 label' | 'DNS-1123 subdomain';

// The rule each kind of name follows in the API.
export const nameRules = {
  namespace: 'DNS-1123 label',
  Service: 'DNS-1035 label',
  pod: 'DNS-1123 subdomain',
  deployment: 'DNS-1123 subdomain',
  node: 'DNS-1123 subdomain',
  Ingress: 'DNS-1123 subdomain',
  HTTPRoute: 'DNS-1123 subdomain',
  GRPCRoute: 'DNS-1123 subdomain',
} as const satisfies Record<string, NameRule>;

const ruleText: Record<NameRule, string> = {
  'DNS-1123 label': 'lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
  'DNS-1035 label': 'lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters',
  'DNS-1123 subdomain': 'lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit, at most 253 characters',
};

// Why `name` breaks the rule, in words; undefined when it is valid.
export function nameViolation(name: string, rule: NameRule): string | undefined {
  const maxLength = rule === 'DNS-1123 subdomain' ? 253 : 63;
  if (name === '') return 'it is empty';
  if (name.length > maxLength) return `it is ${name.length} characters long, and at most ${maxLength} are allowed`;
  if (rule === 'DNS-1123 subdomain') {
    if (/[^-.a-z0-9]/.test(name)) return 'only lower-case letters, digits, "-" and "." are allowed';
    if (name.split('.').some((part) => !/^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/.test(part))) {
      return 'each dot-separated part must start and end with a letter or a digit';
    }
    return undefined;
  }
  if (/[^-a-z0-9]/.test(name)) return 'only lower-case letters, digits and "-" are allowed';
  if (rule === 'DNS-1035 label' && !/^[a-z]/.test(name)) return 'it must start with a letter';
  if (!/^[a-z0-9]/.test(name)) return 'it must start with a letter or a digit';
  if (!/[a-z0-9]$/.test(name)) return 'it must end with a letter or a digit';
  return undefined;
}

// A usage error (exit 2) with the rule that was broken; nothing when the name is valid.
// `given` says where the name came from, e.g. `--from pod/NAME` (default: the kind's name).
export function requireValidName(name: string, kind: keyof typeof nameRules, given = `${kind} name`): void {
  const rule = nameRules[kind];
  const violation = nameViolation(name, rule);
  if (violation === undefined) return;
  const article = /^[aeiouAEIOU]/.test(kind) ? 'an' : 'a';
  throw usageError(`"${name}" is not a valid ${given}: ${violation}`, `${article} ${kind} name is a ${rule}: ${ruleText[rule]}`);
}
