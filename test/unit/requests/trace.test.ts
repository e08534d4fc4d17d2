// trace's and explain's command lines as requests: what each names and defaults to, and every bad
// combination refused as a usage error before anything is loaded or contacted.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explainRequest, type ExplainFlags } from '../../../src/requests/explain.js';
import { traceRequest, type TraceFlags } from '../../../src/requests/trace.js';
import { assertUsageError } from './usage.js';

const offline = { filename: ['examples/shop'] };
const pipe = { stdoutIsTerminal: false };
const trace = (argument: string | undefined, flags: TraceFlags = {}) => traceRequest(argument, flags, pipe);

describe('trace requests', () => {
  test('one Service, as svc/NAME: text through a pipe, the live cluster, the cluster flags as given', () => {
    assert.deepEqual(trace('svc/web', { namespace: 'shop', context: 'kind', 'request-timeout': '10s', port: 'http' }), {
      mode: 'service',
      namespace: 'shop',
      context: 'kind',
      kubeconfig: undefined,
      requestTimeout: '10s',
      insecureSkipTlsVerify: undefined,
      debug: false,
      filenames: [],
      from: undefined,
      fromNamespace: undefined,
      service: 'web',
      port: 'http',
      output: 'text',
      watch: false,
      version: undefined,
    });
  });

  test('on a terminal the default is the tree', () => {
    assert.equal(traceRequest('web', {}, { stdoutIsTerminal: true }).output, 'tree');
  });

  test('without SERVICE: list mode, --fail-on none unless given, the version for SARIF', () => {
    const request = traceRequest(undefined, { 'all-namespaces': true, 'fail-on': 'error', output: 'sarif', ...offline }, { ...pipe, version: '1.2.3' });
    assert.ok(request.mode === 'list', request.mode);
    assert.equal(request.allNamespaces, true);
    assert.equal(request.failOn, 'error');
    assert.equal(request.version, '1.2.3');
    assert.deepEqual(request.filenames, ['examples/shop']);
    const plain = trace(undefined);
    assert.ok(plain.mode === 'list', plain.mode);
    assert.equal(plain.failOn, 'none');
    assert.equal(plain.allNamespaces, false);
  });

  test('ingress/NAME, ing/NAME and httproute/NAME are entries', () => {
    const request = trace('ing/shop', { output: 'json', from: 'deploy/frontend' });
    assert.ok(request.mode === 'entry', request.mode);
    assert.deepEqual(request.entry, { kind: 'Ingress', name: 'shop' });
    assert.equal(request.output, 'json');
    assert.equal(request.from, 'deploy/frontend');
    const route = trace('httproute/web');
    assert.ok(route.mode === 'entry', route.mode);
    assert.deepEqual(route.entry, { kind: 'HTTPRoute', name: 'web' });
  });

  test('--probe carries its limits', () => {
    const request = trace('web', { probe: true, 'probe-limit': '3', 'probe-timeout': '2s' });
    assert.ok(request.mode === 'service', request.mode);
    assert.deepEqual(request.probe, { limit: 3, timeoutMs: 2000 });
  });

  test('--debug is a switch of the request', () => {
    assert.equal(trace('web', { debug: true }).debug, true);
  });

  const refused: Array<[string, string | undefined, TraceFlags, RegExp, RegExp]> = [
    ['a workload where a Service is expected', 'deploy/web', offline, /"deploy\/web" is not a Service/, /NAME, svc\/NAME or service\/NAME/],
    ['an invalid Service name', 'bad name', {}, /"bad name" is not a valid Service name/, /lower-case/],
    ['an unknown output format', 'cart', { output: 'nonsense' }, /^unknown output format "nonsense"$/, /text, tree, wide, json, yaml/],
    ['--watch without a Service', undefined, { watch: true }, /^--watch follows one Service$/, /kubectl svc-trace SERVICE -w/],
    ['--watch with manifests', 'cart', { watch: true, ...offline }, /cannot be used with -f/, /drop --watch/],
    ['--probe-limit without --probe', 'web', { 'probe-limit': '3' }, /^--probe-limit needs --probe$/, /add --probe/],
    ['--probe in list mode', undefined, { probe: true }, /^--probe probes the endpoints of one Service$/, /--probe/],
    ['--probe with manifests', 'web', { probe: true, ...offline }, /cannot be used with -f/, /drop --probe/],
    ['--probe with --watch', 'web', { probe: true, watch: true }, /^--probe runs once/, /drop --watch/],
    ['a malformed --from', 'web', { from: 'a/b/c/d' }, /^--from a\/b\/c\/d is not a client this tool knows$/, /KIND\/NAME/],
    ['--fail-on for one Service', 'web', { 'fail-on': 'error' }, /^--fail-on is for list mode$/, /drop --fail-on, or drop web/],
    ['-o mermaid in list mode', undefined, { output: 'mermaid' }, /^-o mermaid draws the hop chain of one Service$/, /-o markdown/],
    ['a --request-timeout that is no duration', 'web', { 'request-timeout': 'soon' }, /--request-timeout/, /--request-timeout=30s/],
    ['--port with an Ingress', 'ingress/shop', { port: '80' }, /^--port picks a Service port; ingress\/shop names its own$/, /each backend is traced on the port the entry names/],
    ['--watch with a route', 'httproute/web', { watch: true }, /^--watch follows one Service, not an HTTPRoute$/, /without -w/],
    ['--probe with an Ingress', 'ingress/shop', { probe: true }, /^--probe probes the endpoints of one Service, not an Ingress$/, /backend Services/],
    ['-A with an Ingress', 'ing/shop', { 'all-namespaces': true, ...offline }, /^-A lists Services; ingress\/shop is one object of one namespace$/, /-n/],
    ['--fail-on with an Ingress', 'ingress/shop', { 'fail-on': 'error' }, /^--fail-on is for list mode$/, /a trace of an entry exits 1/],
    ['a format an entry has no drawing in', 'grpcroute/api', { output: 'sarif' }, /^-o sarif is not available for grpcroute\/api$/, /text, tree, wide, json, yaml/],
    ['an invalid Ingress name', 'ingress/Shop_1', offline, /Shop_1/, /lower-case/],
  ];
  for (const [name, argument, flags, message, hint] of refused) {
    test(`refused: ${name}`, () => assertUsageError(() => trace(argument, flags), message, hint));
  }

  test('offline, a --request-timeout is never read (as before: only a connection reads it)', () => {
    assert.equal(trace('web', { 'request-timeout': 'soon', ...offline }).mode, 'service');
  });
});

describe('explain requests', () => {
  test('a Service: text unless -o json', () => {
    const request = explainRequest('web', { port: '80' });
    assert.deepEqual(request.target, { service: 'web' });
    assert.equal(request.output, 'text');
    assert.equal(request.port, '80');
    assert.equal(explainRequest('httproute/web', { output: 'json' }).output, 'json');
  });

  const refused: Array<[string, string, ExplainFlags, RegExp, RegExp]> = [
    ['a format explain does not have', 'cart', { output: 'wide' }, /^unknown output format "wide" for explain$/, /text or json/],
    ['--probe with manifests', 'cart', { probe: true, ...offline }, /cannot be used with -f/, /drop --probe/],
    ['--port with a route', 'httproute/web', { port: 'http' }, /^--port picks a Service port; httproute\/web names its own$/, /drop --port/],
    ['a malformed --from', 'cart', { from: 'cronjob/nightly' }, /"cronjob" is not a kind of client/, /deploy/],
  ];
  for (const [name, argument, flags, message, hint] of refused) {
    test(`refused: ${name}`, () => assertUsageError(() => explainRequest(argument, flags), message, hint));
  }
});
