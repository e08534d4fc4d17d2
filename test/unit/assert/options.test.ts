// The command line of `kubectl svc-trace assert` as a plain request: the default assertion, the
// order and names of assertions, and every bad combination as a usage error (exit 2) with a hint.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { assertionName, parseAssertions } from '../../../src/assert/assertions.js';
import { parseAssertRequest, type AssertCommandLine } from '../../../src/assert/options.js';
import { assertUsageError } from '../requests/usage.js';

const usage = (line: AssertCommandLine, message: RegExp, hint: RegExp) => assertUsageError(() => parseAssertRequest(line), message, hint);

describe('assertions from flags', () => {
  test('no assertion flag: at least one ready endpoint', () => {
    assert.deepEqual(parseAssertions({}), [{ kind: 'min-ready', count: 1 }]);
  });

  test('--port alone still asks for a ready endpoint, on that port', () => {
    assert.deepEqual(parseAssertions({ port: 'http' }), [
      { kind: 'port', port: 'http' },
      { kind: 'min-ready', count: 1 },
    ]);
  });

  test('any other assertion flag replaces the default', () => {
    assert.deepEqual(parseAssertions({ noErrors: true }), [{ kind: 'no-errors' }]);
    assert.deepEqual(parseAssertions({ type: 'LoadBalancer' }), [{ kind: 'type', type: 'LoadBalancer' }]);
  });

  test('every flag at once: port first, in a fixed order, with the names a test report shows', () => {
    const assertions = parseAssertions({ noErrors: true, maxNotReady: '1', allReady: true, minReady: '3', type: 'nodeport', port: '80' });
    assert.deepEqual(assertions.map(assertionName), ['port 80', 'type == NodePort', 'min-ready >= 3', 'all-ready', 'max-not-ready <= 1', 'no-errors']);
  });

  test('--min-ready 0 is allowed (it holds always) and replaces the default', () => {
    assert.deepEqual(parseAssertions({ minReady: '0' }), [{ kind: 'min-ready', count: 0 }]);
  });
});

describe('the request', () => {
  test('Services as NAME, svc/NAME or service/NAME, each once; text and check-once by default', () => {
    const request = parseAssertRequest({ services: ['web', 'svc/api', 'service/web'] });
    assert.deepEqual(request, { services: ['web', 'api'], assertions: [{ kind: 'min-ready', count: 1 }], timeoutMs: 0, output: 'text' });
  });

  test('-l instead of names', () => {
    const request = parseAssertRequest({ services: [], selector: 'tier in (web,api)', output: 'junit', timeout: '2m' });
    assert.equal(request.selector, 'tier in (web,api)');
    assert.deepEqual(request.services, []);
    assert.equal(request.timeoutMs, 120_000);
    assert.equal(request.output, 'junit');
  });

  test('--timeout takes Go durations as kubectl does', () => {
    assert.equal(parseAssertRequest({ services: ['web'], timeout: '90s' }).timeoutMs, 90_000);
    assert.equal(parseAssertRequest({ services: ['web'], timeout: '1m30s' }).timeoutMs, 90_000);
    assert.equal(parseAssertRequest({ services: ['web'], timeout: '0' }).timeoutMs, 0);
  });
});

describe('usage errors', () => {
  test('no SERVICE and no -l', () => usage({ services: [] }, /^no Service to assert on$/, /-l app=web/));
  test('-l together with SERVICE', () => usage({ services: ['web'], selector: 'app=web' }, /by name or by -l, not both/, /drop -l app=web, or drop web/));
  test('an empty -l', () => usage({ services: [], selector: ' ' }, /-l needs a label selector/, /app=web/));
  test('a negative --min-ready', () => usage({ services: ['web'], minReady: '-1' }, /"-1" for --min-ready: a count cannot be negative/, /--min-ready=2/));
  test('a --max-not-ready that is no whole number', () => usage({ services: ['web'], maxNotReady: '1.5' }, /"1\.5" for --max-not-ready: not a whole number/, /--max-not-ready=2/));
  test('an unknown Service type', () => usage({ services: ['web'], type: 'Ingress' }, /unknown Service type "Ingress"/, /ClusterIP, NodePort, LoadBalancer, ExternalName/));
  test('an unknown output format', () => usage({ services: ['web'], output: 'yaml' }, /unknown output format "yaml" for assert/, /text, json, junit/));
  test('a timeout without unit', () => usage({ services: ['web'], timeout: '60' }, /"60" for --timeout: not a duration/, /--timeout=2m; 0 checks once/));
  test('a negative timeout', () => usage({ services: ['web'], timeout: '-5s' }, /"-5s" for --timeout/, /90s/));
  test('a workload where a Service is expected', () => usage({ services: ['deploy/web'] }, /"deploy\/web" is not a Service/, /svc\/NAME/));
  test('an unknown flag that reached the arguments', () => usage({ services: ['web', '--bogus=1'] }, /^unknown flag --bogus$/, /assert --help/));
});
