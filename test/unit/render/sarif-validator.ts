// The official SARIF 2.1.0 JSON Schema (the copy @microsoft/jest-sarif ships), compiled once.
// It is a draft-04 schema, which ajv 8 reads through ajv-draft-04; ajv-formats checks its uri,
// uri-reference and date-time formats.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
export const sarifSchema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;

// strict: false — the SARIF schema uses draft-04 idioms (e.g. "id" next to "$ref") that ajv's strict
// mode refuses; unicodeRegExp: false — its `language` pattern has a stray `]` that is legal only
// in a regular expression without the u flag (as draft-04 validators compile them).
// Both modules are CommonJS whose class / plugin is their `default` export.
const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(sarifSchema);

export function sarifErrors(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

export function assertValidSarif(value: unknown, what: string): void {
  const errors = sarifErrors(value);
  assert.deepEqual(errors, [], `${what} is not valid SARIF 2.1.0:\n${errors.join('\n')}`);
}
