// Names the API would refuse are refused before any request (exit 2, the rule that was broken):
// no crash, no "unescaped characters", no path or query smuggled into a request.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sandbox, type Sandbox } from '../commands/run.js';
import { assertBounded, withFault } from './support.js';

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

describe('names checked as the API server checks them, before any request', () => {
  const cases: Array<[string, string[], string, RegExp]> = [
    ['a "#" in the namespace', ['web', '-n', 'shop#frag'], 'error: "shop#frag" is not a valid namespace (-n): only lower-case letters, digits and "-" are allowed', /DNS-1123 label/],
    ['a space in the namespace', ['web', '-n', 'a b'], 'error: "a b" is not a valid namespace (-n): only lower-case letters, digits and "-" are allowed', /DNS-1123 label/],
    ['a path and a query in the namespace', ['web', '-n', 'shop/services/web?x='], 'error: "shop/services/web?x=" is not a valid namespace (-n): only lower-case letters, digits and "-" are allowed', /DNS-1123 label/],
    ['a space in the --from pod', ['web', '--from', 'pod/a b'], 'error: "a b" is not a valid pod name in --from: only lower-case letters, digits, "-" and "." are allowed', /DNS-1123 subdomain/],
    ['a Service name starting with a digit', ['1web'], 'error: "1web" is not a valid Service name: it must start with a letter', /DNS-1035 label/],
    ['an upper-case namespace for assert', ['assert', 'web', '-n', 'Shop'], 'error: "Shop" is not a valid namespace (-n): only lower-case letters, digits and "-" are allowed', /DNS-1123 label/],
  ];
  for (const [name, args, firstLine, rule] of cases) {
    test(`${name}: exit 2, the rule, no request`, async () => {
      await withFault(box, () => false, async ({ server, trace }) => {
        const result = await trace(...args);
        assert.equal(result.code, 2, result.stderr);
        assert.equal(result.firstLine, firstLine);
        assert.match(result.stderr.split('\n')[1]!, rule);
        assert.deepEqual(server.requests, [], 'no request was made');
        assertBounded(result, 15);
      });
    });
  }
});
