// Service ports against container ports (target-port-missing, target-port-not-declared,
// protocol-mismatch), and `--port` (port-not-found, filtering).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import { expectFinding, expectNoFinding, hopOf, ids, loadFixture, offlineSnapshotOf, snapshotOf, traceOf } from '../../support/snapshot.js';

describe('target-port-missing', () => {
  test('no selected pod names a container port "http": error, and the backend hop fails', () => {
    const trace = traceOf('named-port-missing');
    const finding = expectFinding(trace, 'target-port-missing', 'error', 'targetPort "http"', 'of port http', 'any selected pod');
    assert.deepEqual(
      finding.objects.map((object) => `${object.kind}/${object.name}`),
      ['Service/web', 'Pod/web-7d9c5b6f4d-nfh7v', 'Pod/web-7d9c5b6f4d-7b2nj'],
    );
    assert.equal(trace.verdict, 'broken');
    const backend = hopOf(trace, 'backend');
    assert.equal(backend.status, 'fail');
    assert.deepEqual(
      backend.backends.map((row) => row.problem),
      ['no container port named http', 'no container port named http'],
    );
  });

  test('only the old ReplicaSet of a rollout lacks the name: a warning naming that pod', () => {
    const trace = traceOf('named-port-partial-rollout');
    const finding = expectFinding(trace, 'target-port-missing', 'warning', 'targetPort "http"', 'web-7d9c5b6f4d-7b2nj');
    assert.ok(!finding.message.includes('web-6b7f9c8d4f'));
    assert.equal(trace.verdict, 'degraded');
    assert.equal(hopOf(trace, 'backend').status, 'warn');
  });

  test('near: the named port is on the second container, the first has a port of another name', () => {
    const trace = traceOf('named-port-on-second-container');
    expectNoFinding(trace, 'target-port-missing');
    const backends = hopOf(trace, 'backend').backends;
    assert.deepEqual(
      backends.map((row) => [row.container, row.containerPort, row.problem]),
      [
        ['web', 8080, undefined],
        ['web', 8080, undefined],
      ],
    );
  });

  test('near: the named port is on a native sidecar (init container with restartPolicy Always)', () => {
    const trace = traceOf('named-port-on-native-sidecar');
    expectNoFinding(trace, 'target-port-missing');
    assert.deepEqual(
      hopOf(trace, 'backend').backends.map((row) => [row.container, row.containerPort]),
      [
        ['oauth2-proxy', 8443],
        ['oauth2-proxy', 8443],
      ],
    );
    assert.equal(trace.verdict, 'ok');
  });

  test('offline, the would-be pods of the template show it before anything is deployed', () => {
    const trace = analyze(offlineSnapshotOf(loadFixture('named-port-missing')));
    expectFinding(trace, 'target-port-missing', 'error', 'targetPort "http"');
  });
});

describe('target-port-not-declared', () => {
  test('a numeric targetPort no container declares, with what they do declare', () => {
    const trace = traceOf('target-port-undeclared');
    const finding = expectFinding(trace, 'target-port-not-declared', 'info', 'targetPort 8000', 'of port 80');
    assert.match(finding.hint, /containers declare web:8080, web:9090/);
  });

  test('near: a numeric targetPort that a container declares', () => {
    // healthy-web's metrics port: targetPort 9090, declared by the web container.
    expectNoFinding(traceOf('healthy-web'), 'target-port-not-declared');
    expectNoFinding(traceOf('headless-statefulset'), 'target-port-not-declared');
  });
});

describe('protocol-mismatch', () => {
  test('a UDP Service port on a number the container declares as TCP', () => {
    const trace = traceOf('dns-udp-port-declared-tcp');
    const finding = expectFinding(trace, 'protocol-mismatch', 'error', 'port dns is UDP', 'container port dnsmasq:5353 is TCP');
    assert.equal(finding.hint, 'set protocol: TCP on the Service port (or fix the container port\'s protocol)');
    assert.equal(hopOf(trace, 'backend').status, 'fail');
    assert.deepEqual(
      hopOf(trace, 'backend').backends.map((row) => row.problem),
      ['container port is TCP', 'container port is TCP'],
    );
  });

  test('near: the same number declared for both protocols, a Service port for each', () => {
    const trace = traceOf('dns-udp-and-tcp');
    expectNoFinding(trace, 'protocol-mismatch');
    assert.deepEqual(ids(trace), []);
    assert.deepEqual(
      hopOf(trace, 'backend').backends.map((row) => `${row.servicePort}→${row.containerPort}/${row.protocol}`),
      ['dns→5353/UDP', 'dns→5353/UDP', 'dns-tcp→5353/TCP', 'dns-tcp→5353/TCP'],
    );
  });
});

describe('port-not-found and --port', () => {
  test('--port by a name the Service does not have lists the ports it has', () => {
    const trace = traceOf('healthy-web', {}, { port: 'https' });
    const finding = expectFinding(trace, 'port-not-found', 'error', 'no port https');
    assert.equal(finding.hint, 'its ports are http (80), metrics (9090)');
    assert.equal(trace.verdict, 'broken');
    assert.equal(hopOf(trace, 'frontend').status, 'fail');
    assert.deepEqual(hopOf(trace, 'frontend').entries, []);
    assert.equal(hopOf(trace, 'backend').status, 'skip');
  });

  test('--port by number: a container port is not a Service port', () => {
    const trace = traceOf('healthy-web', {}, { port: '8080' });
    expectFinding(trace, 'port-not-found', 'error', 'no port 8080');
  });

  test('near: --port by name and by number select the port', () => {
    for (const port of ['metrics', '9090']) {
      const trace = traceOf('healthy-web', {}, { port });
      expectNoFinding(trace, 'port-not-found');
      assert.deepEqual(
        hopOf(trace, 'frontend').entries.map((entry) => `${entry.address}:${entry.port}`),
        ['10.96.45.12:9090'],
      );
      assert.deepEqual(
        hopOf(trace, 'backend').backends.map((row) => `${row.pod}:${row.containerPort}`),
        ['web-7d9c5b6f4d-nfh7v:9090', 'web-7d9c5b6f4d-7b2nj:9090'],
      );
    }
  });

  test('--port filters the port findings too', () => {
    // The http port is broken in named-port-missing; looking at another port must not report it.
    const fixture = loadFixture('named-port-missing');
    fixture.service.spec.ports!.push({ name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 9090 });
    // The controller resolves the numeric port: the slice gets it.
    fixture.endpointSlices.items[0]!.ports = [{ name: 'metrics', protocol: 'TCP', port: 9090 }];
    const snapshot = snapshotOf(fixture);
    assert.ok(ids(analyze(snapshot)).includes('target-port-missing'));
    expectNoFinding(analyze(snapshot, { port: 'metrics' }), 'target-port-missing');
  });

  test('without --port every port is followed', () => {
    const entries = hopOf(traceOf('healthy-web'), 'frontend').entries;
    assert.deepEqual(
      entries.map((entry) => `${entry.kind} ${entry.address}:${entry.port}/${entry.protocol} (${entry.servicePort})`),
      ['ClusterIP 10.96.45.12:80/TCP (http)', 'ClusterIP 10.96.45.12:9090/TCP (metrics)'],
    );
  });
});
