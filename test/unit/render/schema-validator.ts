// The published JSON Schemas (schema/), compiled once with ajv's draft 2020-12 validator.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

function load(name: string): { $id: string } & Record<string, unknown> {
  return JSON.parse(readFileSync(path.resolve('schema', name), 'utf8')) as { $id: string } & Record<string, unknown>;
}

export const traceSchema = load('trace.schema.json');
export const listSchema = load('service-health-list.schema.json');
export const entrySchema = load('entry-trace.schema.json');

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(traceSchema);
ajv.addSchema(listSchema);
ajv.addSchema(entrySchema);

type Kind = 'Trace' | 'ServiceHealthList' | 'EntryTrace';
const ids: Record<Kind, string> = { Trace: traceSchema.$id, ServiceHealthList: listSchema.$id, EntryTrace: entrySchema.$id };

// The errors ajv finds, one line each (empty when valid).
export function schemaErrors(kind: Kind, value: unknown): string[] {
  const validate = ajv.getSchema(ids[kind]);
  assert.ok(validate, `schema for ${kind} not compiled`);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

export function assertValid(kind: Kind, value: unknown, what: string = kind): void {
  const errors = schemaErrors(kind, value);
  assert.deepEqual(errors, [], `${what} does not validate against the ${kind} schema:\n${errors.join('\n')}`);
}
