// Service names and Service port names must be DNS-1035 labels (the API server's validation):
// lower-case letters, digits and "-", starting with a letter, ending with a letter or digit, at most 63.

import { nameViolation } from '../kube/names.js';

const maxLength = 63;

// Why a string is not a DNS-1035 label, in words; undefined when it is one.
export function dns1035Problem(value: string): string | undefined {
  return nameViolation(value, 'DNS-1035 label');
}

// The nearest DNS-1035 label to a container port name (IANA service names may start with a digit).
export function toDns1035(value: string): string {
  let label = value.toLowerCase().replace(/[^-a-z0-9]+/g, '-').replace(/-+/g, '-').replace(/^-+/, '');
  if (!/^[a-z]/.test(label)) label = `port-${label}`;
  return label.slice(0, maxLength).replace(/-+$/, '');
}

// `base`, else `base-2`, `base-3`, ... — the first that is not taken, kept within 63 characters.
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let index = 2; ; index += 1) {
    const suffix = `-${index}`;
    const candidate = `${base.slice(0, maxLength - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
