// The README is the front door: it must document every finding id, every flag and every exit code.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { catalogue } from '../../src/analyze/catalogue.js';
import { COMMANDS } from '../../commands/index.js';
import { ExitCode } from '../../src/errors.js';

const readme = readFileSync(path.resolve('README.md'), 'utf8');

test('the README documents every finding id', () => {
  const missing = Object.keys(catalogue).filter((id) => !readme.includes(`\`${id}\``));
  assert.deepEqual(missing, []);
});

test('the README documents every flag of every command', () => {
  const missing = Object.values(COMMANDS).flatMap((command) =>
    Object.entries(command.flags ?? {})
      .filter(([name]) => !readme.includes(`--${name}`))
      .map(([name]) => `${command.name}: --${name}`),
  );
  assert.deepEqual(missing, []);
});

test('the README documents every exit code', () => {
  for (const code of Object.values(ExitCode)) assert.match(readme, new RegExp(`^\\| ${code} \\|`, 'm'));
});

test('the README names the test command that .ci/run calls', () => {
  const ci = readFileSync(path.resolve('.ci/run'), 'utf8');
  assert.match(readme, /^npm test\b/m);
  assert.match(ci, /^npm test$/m);
});
