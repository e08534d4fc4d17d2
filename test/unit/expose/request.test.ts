// expose's arguments and flags: what is accepted as kubectl accepts it, and what is refused before
// the cluster is asked (usage errors, exit 2, naming the flag).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExitCode, SvcTraceError } from '../../../src/errors.js';
import { parseWorkloadReference } from '../../../src/expose/reference.js';
import { requestOf } from './fixtures.js';

function refused(pattern: RegExp, hint?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SvcTraceError, String(error));
    assert.equal(error.exitCode, ExitCode.usage);
    assert.match(error.message, pattern);
    if (hint) assert.match(error.hint, hint);
    return true;
  };
}

describe('TYPE/NAME', () => {
  for (const [typed, kind] of [
    ['deploy/web', 'Deployment'],
    ['deployment/web', 'Deployment'],
    ['deployments.apps/web', 'Deployment'],
    ['sts/web', 'StatefulSet'],
    ['statefulset/web', 'StatefulSet'],
    ['ds/web', 'DaemonSet'],
    ['daemonsets/web', 'DaemonSet'],
    ['rs/web', 'ReplicaSet'],
    ['replicaset/web', 'ReplicaSet'],
    ['po/web', 'Pod'],
    ['pod/web', 'Pod'],
    ['Deployment/web', 'Deployment'],
  ] as const) {
    test(`${typed} is a ${kind}`, () => {
      assert.deepEqual(parseWorkloadReference(typed), { kind, name: 'web' });
    });
  }

  test("kubectl's two-word form: deployment web", () => {
    assert.deepEqual(parseWorkloadReference('deployment', 'web'), { kind: 'Deployment', name: 'web' });
  });

  test('a CronJob is not supported, and the error says why and what is', () => {
    assert.throws(() => parseWorkloadReference('cronjob/nightly'), refused(/a CronJob cannot be exposed: its pods run to completion on a schedule/, /deploy\/NAME, sts\/NAME, ds\/NAME, rs\/NAME or pod\/NAME/));
    assert.throws(() => parseWorkloadReference('cj/nightly'), refused(/a CronJob cannot be exposed/));
  });

  test('a Job and a Service are refused too', () => {
    assert.throws(() => parseWorkloadReference('job/migrate'), refused(/a Job cannot be exposed/));
    assert.throws(() => parseWorkloadReference('svc/web'), refused(/it does not copy a Service/));
  });

  test('an unknown type, and a bare name without a type', () => {
    assert.throws(() => parseWorkloadReference('widget/web'), refused(/"widget" is not a workload type that expose knows/));
    assert.throws(() => parseWorkloadReference('web'), refused(/"web" does not say what kind of workload it is/, /deploy\/web/));
  });
});

describe('--port', () => {
  test('repeatable and comma lists, PORT or PORT:TARGET, numbers or container port names', () => {
    assert.deepEqual(requestOf('deploy/web', { port: ['80:http,443:8443', 'metrics'] }).ports, [
      { port: 80, target: 'http' },
      { port: 443, target: 8443 },
      { port: 'metrics' },
    ]);
  });

  test('out of range, malformed and repeated ports are refused', () => {
    assert.throws(() => requestOf('deploy/web', { port: ['70000'] }), refused(/--port 70000 is not a port number/, /between 1 and 65535/));
    assert.throws(() => requestOf('deploy/web', { port: ['80:http:x'] }), refused(/--port "80:http:x" is not PORT or PORT:TARGET/));
    assert.throws(() => requestOf('deploy/web', { port: ['80', '80:8080'] }), refused(/--port 80 is given twice/));
    assert.throws(() => requestOf('deploy/web', { port: ['Http'] }), refused(/neither a port number nor a container port name/));
  });

  test('--target-port goes with one port only', () => {
    assert.throws(() => requestOf('deploy/web', { port: ['80,81'], targetPort: '8080' }), refused(/--target-port applies to one port/, /--port PORT:TARGET/));
  });
});

describe('type and addressing', () => {
  test('--type is case-insensitive, ExternalName is refused with what to use instead', () => {
    assert.equal(requestOf('deploy/web', { type: 'nodeport' }).type, 'NodePort');
    assert.throws(() => requestOf('deploy/web', { type: 'ExternalName' }), refused(/an ExternalName Service selects none/, /kubectl create service externalname/));
    assert.throws(() => requestOf('deploy/web', { type: 'Ingress' }), refused(/--type "Ingress" is not one of ClusterIP, NodePort, LoadBalancer/));
  });

  test('--cluster-ip None is headless and cannot be a NodePort', () => {
    assert.equal(requestOf('deploy/web', { clusterIP: 'None' }).clusterIP, 'None');
    assert.throws(() => requestOf('deploy/web', { clusterIP: 'None', type: 'NodePort' }), refused(/a headless Service \(--cluster-ip None\) has no virtual IP, so it cannot be of type NodePort/));
    assert.throws(() => requestOf('deploy/web', { clusterIP: 'auto' }), refused(/neither None nor an IP address/));
  });

  test('--node-port and --external-traffic-policy are refused on a ClusterIP Service', () => {
    assert.throws(() => requestOf('deploy/web', { type: 'ClusterIP', nodePort: ['30080'] }), refused(/--node-port applies to traffic from outside the cluster/, /--type NodePort/));
    assert.throws(() => requestOf('deploy/web', { clusterIP: 'None', externalTrafficPolicy: 'Local' }), refused(/a headless Service has none/));
  });

  test('--name must be a DNS-1035 label', () => {
    assert.throws(() => requestOf('deploy/web', { name: 'Web_1' }), refused(/--name "Web_1" is not a valid Service name: only lower-case letters, digits and "-" are allowed/));
    assert.throws(() => requestOf('deploy/web', { name: '1web' }), refused(/it must start with a letter/));
    assert.throws(() => requestOf('deploy/web', { name: 'w'.repeat(64) }), refused(/64 characters long, and at most 63/));
  });

  test('-o takes yaml, json or name', () => {
    assert.equal(requestOf('deploy/web', { output: 'json' }).output, 'json');
    assert.throws(() => requestOf('deploy/web', { output: 'wide' }), refused(/-o "wide" is not one of yaml, json, name/));
  });

  test('--selector is KEY=VALUE pairs, without set operators', () => {
    assert.deepEqual(requestOf('deploy/web', { selector: 'app=web,tier=frontend' }).selector, { app: 'web', tier: 'frontend' });
    assert.throws(() => requestOf('deploy/web', { selector: 'app in (web)' }), refused(/is not a list of KEY=VALUE labels/));
  });
});
