// A bad command line is a usage error: exit 2, one sentence, and a hint.

import assert from 'node:assert/strict';
import { ExitCode, SvcTraceError } from '../../../src/errors.js';

export function assertUsageError(build: () => unknown, message: RegExp, hint: RegExp): void {
  assert.throws(build, (error: unknown) => {
    assert.ok(error instanceof SvcTraceError, String(error));
    assert.equal(error.exitCode, ExitCode.usage);
    assert.match(error.message, message);
    assert.match(error.hint, hint);
    assert.ok(!error.message.includes('\n'), 'one sentence');
    return true;
  });
}
