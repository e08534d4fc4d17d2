// The SvcTraceError a promise rejects with; fails the test if it resolves or rejects with anything else.

import assert from 'node:assert/strict';
import { SvcTraceError } from '../../src/errors.js';

export async function rejection(promise: Promise<unknown>): Promise<SvcTraceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SvcTraceError, `expected a SvcTraceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a SvcTraceError, but it succeeded');
}
