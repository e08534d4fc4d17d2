import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../src/kube/duration.js';
import { ExitCode, SvcTraceError } from '../../src/errors.js';

describe('parseDuration', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['1.1s', 1100],
    ['.5m', 30_000],
    ['2h45m30.5s', 9_930_500],
    ['+10s', 10_000],
    ['1500us', 1.5],
    ['250µs', 0.25],
    ['2000000ns', 2],
  ];
  for (const [text, milliseconds] of cases) {
    test(`${text} is ${milliseconds}ms`, () => {
      assert.equal(parseDuration(text, '--timeout'), milliseconds);
    });
  }

  test('a bare integer is seconds for --request-timeout, as kubectl reads it', () => {
    assert.equal(parseDuration('5', '--request-timeout'), 5000);
    assert.equal(parseDuration('0', '--request-timeout'), 0);
    assert.equal(parseDuration('1m', '--request-timeout'), 60_000);
  });

  test('a bare integer other than 0 is refused elsewhere: Go wants a unit', () => {
    assert.throws(() => parseDuration('30', '--timeout'), /invalid value "30" for --timeout/);
  });

  for (const text of ['', 'abc', '5x', '1h30', 'm', '-5s', '1.2.3s', '10 s', '5S']) {
    test(`"${text}" is a usage error naming the flag and an example`, () => {
      assert.throws(
        () => parseDuration(text, '--timeout'),
        (error: unknown) => {
          assert.ok(error instanceof SvcTraceError);
          assert.equal(error.exitCode, ExitCode.usage);
          assert.equal(error.message, `invalid value "${text}" for --timeout: not a duration`);
          assert.match(error.hint, /30s, 2m or 1h30m/);
          assert.match(error.hint, /--timeout=30s/);
          return true;
        },
      );
    });
  }

  test('the --request-timeout hint mentions bare seconds', () => {
    assert.throws(() => parseDuration('soon', '--request-timeout'), (error: unknown) => {
      assert.ok(error instanceof SvcTraceError);
      assert.ok(error.hint.includes('--request-timeout=30s (or --request-timeout=30, in seconds)'), error.hint);
      return true;
    });
  });
});
