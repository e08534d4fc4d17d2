// assert's, expose's and forward's command lines as requests: each extends the one connection
// request, and every mistake the command line alone can make is a usage error before any request.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRequest } from '../../../src/requests/assert.js';
import { exposeRequest, type ExposeCommandFlags } from '../../../src/requests/expose.js';
import { forwardRequest, type ForwardFlags } from '../../../src/requests/forward.js';
import { assertUsageError } from './usage.js';

const cluster = { namespace: 'shop', kubeconfig: 'config.yaml', 'request-timeout': '0', 'insecure-skip-tls-verify': true, debug: true };
const connection = { namespace: 'shop', context: undefined, kubeconfig: 'config.yaml', requestTimeout: '0', insecureSkipTlsVerify: true, debug: true };

describe('assert requests', () => {
  test('the assertions and the connection in one request', () => {
    assert.deepEqual(assertRequest(['svc/web'], { ...cluster, 'min-ready': '2', timeout: '90s' }), {
      ...connection,
      services: ['web'],
      assertions: [{ kind: 'min-ready', count: 2 }],
      timeoutMs: 90_000,
      output: 'text',
    });
  });

  test('refused: a bad --timeout, then a bad --request-timeout', () => {
    assertUsageError(() => assertRequest(['web'], { timeout: 'later' }), /^invalid value "later" for --timeout: not a duration$/, /--timeout=2m/);
    assertUsageError(() => assertRequest(['web'], { 'request-timeout': 'later' }), /--request-timeout/, /--request-timeout=30s/);
  });
});

describe('expose requests', () => {
  const flags = (more: Partial<ExposeCommandFlags> = {}): ExposeCommandFlags => ({ 'dry-run': 'none', ...more });

  test('the Service asked for, whether a wizard may ask, and the connection', () => {
    const request = exposeRequest({ workload: 'deploy/web' }, flags({ ...cluster, port: ['80:http'], type: 'NodePort', yes: true }), { interactive: false });
    assert.deepEqual(request.reference, { kind: 'Deployment', name: 'web' });
    assert.deepEqual(request.ports, [{ port: 80, target: 'http' }]);
    assert.equal(request.type, 'NodePort');
    assert.equal(request.interactive, false);
    assert.equal(request.namespace, 'shop');
    assert.equal(request.debug, true);
  });

  test('kubectl\'s TYPE NAME form', () => {
    assert.deepEqual(exposeRequest({ workload: 'sts', name: 'db' }, flags({ 'dry-run': 'client' }), { interactive: false }).reference, { kind: 'StatefulSet', name: 'db' });
  });

  test('refused: creating without a terminal and without --yes', () => {
    assertUsageError(() => exposeRequest({ workload: 'deploy/web' }, flags(), { interactive: false }), /^creating a Service needs a confirmation/, /pass --yes/);
  });

  test('on a terminal the wizard asks instead', () => {
    assert.equal(exposeRequest({ workload: 'deploy/web' }, flags(), { interactive: true }).interactive, true);
  });

  test('refused: no workload, and a flag mistake before the --yes question', () => {
    assertUsageError(() => exposeRequest({}, flags(), { interactive: false }), /^expose needs the workload to expose$/, /TYPE\/NAME/);
    assertUsageError(() => exposeRequest({ workload: 'deploy/web' }, flags({ type: 'ExternalName' }), { interactive: false }), /ExternalName Service selects none/, /kubectl create service externalname/);
  });
});

describe('forward requests', () => {
  const flags = (more: Partial<ForwardFlags> = {}): ForwardFlags => ({ 'wait-timeout': '30s', ...more });

  test('the Service, its ports, where to listen, how to show events, and the connection', () => {
    const request = forwardRequest(['svc/web', '8080:http', ':80'], flags({ ...cluster, address: 'localhost' }), { stdoutIsTerminal: false });
    assert.equal(request.service, 'web');
    assert.equal(request.ports.length, 2);
    assert.equal(request.display, 'text');
    assert.equal(request.waitMs, 30_000);
    assert.equal(request.namespace, 'shop');
    assert.equal(forwardRequest(['web', '80'], flags(), { stdoutIsTerminal: true }).display, 'dashboard');
    assert.equal(forwardRequest(['web', '80'], flags({ output: 'json' }), { stdoutIsTerminal: true }).display, 'json');
  });

  const refused: Array<[string, string[], Partial<ForwardFlags>, RegExp, RegExp]> = [
    ['a workload where a Service is expected', ['deploy/web', '80'], {}, /"deploy\/web" is not a Service/, /svc\/NAME/],
    ['an unknown output format', ['web', '80'], { output: 'yaml' }, /^unknown output format "yaml" for forward$/, /text/],
    ['no port', ['web'], {}, /^name at least one port to forward$/, /kubectl svc-trace forward web 8080/],
    ['a bad --wait-timeout', ['web', '80'], { 'wait-timeout': 'forever' }, /--wait-timeout/, /duration|30s/],
  ];
  for (const [name, argv, more, message, hint] of refused) {
    test(`refused: ${name}`, () => assertUsageError(() => forwardRequest(argv, flags(more), { stdoutIsTerminal: false }), message, hint));
  }
});
