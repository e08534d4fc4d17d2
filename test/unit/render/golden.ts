// Golden files for human output: test/fixtures/render/<name>.txt, compared byte for byte.
// UPDATE_GOLDEN=1 rewrites them instead, so that a change of output shows up as a diff in review.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const directory = () => path.resolve('test/fixtures/render');

export function assertGolden(name: string, actual: string): void {
  const file = path.join(directory(), `${name}.txt`);
  const shown = `test/fixtures/render/${name}.txt`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(directory(), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `golden ${shown} is missing: run the tests with UPDATE_GOLDEN=1 to write it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from ${shown} (UPDATE_GOLDEN=1 rewrites it; review the diff)`);
}
