// -o json and -o yaml: the trace model as it is (README, Output contract; schema/ holds its JSON Schema).

import { stringify } from 'yaml';

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function renderYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}
