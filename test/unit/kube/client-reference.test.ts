// `--from` and `--from-namespace`: kubectl's resource words, a namespace prefix, and usage errors
// (exit 2) for what is malformed — all before any request.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { ExitCode, SvcTraceError } from '../../../src/errors.js';
import { parseClientReference } from '../../../src/kube/client-reference.js';

function usage(from: string | undefined, fromNamespace?: string): SvcTraceError {
  try {
    parseClientReference(from, fromNamespace);
  } catch (error) {
    assert.ok(error instanceof SvcTraceError);
    assert.equal(error.exitCode, ExitCode.usage);
    return error;
  }
  assert.fail(`--from ${from} should be refused`);
}

describe('--from', () => {
  test('kubectl\'s words for each kind, singular, plural and short', () => {
    const cases: Array<[string, unknown]> = [
      ['client', { kind: 'pod', name: 'client' }],
      ['po/client', { kind: 'pod', name: 'client' }],
      ['pods/client', { kind: 'pod', name: 'client' }],
      ['deploy/frontend', { kind: 'workload', workload: 'Deployment', name: 'frontend' }],
      ['Deployment/frontend', { kind: 'workload', workload: 'Deployment', name: 'frontend' }],
      ['sts/db', { kind: 'workload', workload: 'StatefulSet', name: 'db' }],
      ['ds/agent', { kind: 'workload', workload: 'DaemonSet', name: 'agent' }],
      ['rs/web-7d9c5b6f4d', { kind: 'workload', workload: 'ReplicaSet', name: 'web-7d9c5b6f4d' }],
      ['job/report', { kind: 'workload', workload: 'Job', name: 'report' }],
      ['no/worker-1', { kind: 'node', name: 'worker-1' }],
      ['node/ip-10-0-1-11.eu-west-1.compute.internal', { kind: 'node', name: 'ip-10-0-1-11.eu-west-1.compute.internal' }],
      ['external', { kind: 'external' }],
    ];
    for (const [from, expected] of cases) assert.deepEqual(parseClientReference(from), expected, from);
  });

  test('NAMESPACE/KIND/NAME puts the client in another namespace', () => {
    assert.deepEqual(parseClientReference('ingress-nginx/deploy/ingress-nginx-controller'), {
      kind: 'workload',
      workload: 'Deployment',
      name: 'ingress-nginx-controller',
      namespace: 'ingress-nginx',
    });
    assert.deepEqual(parseClientReference('payments/pod/client'), { kind: 'pod', name: 'client', namespace: 'payments' });
  });

  test('--from-namespace alone: a generic pod there; with pod/NAME: that pod\'s namespace', () => {
    assert.deepEqual(parseClientReference(undefined), { kind: 'generic' });
    assert.deepEqual(parseClientReference(undefined, 'payments'), { kind: 'generic', namespace: 'payments' });
    assert.deepEqual(parseClientReference('pod/client', 'payments'), { kind: 'pod', name: 'client', namespace: 'payments' });
    assert.deepEqual(parseClientReference('payments/pod/client', 'payments'), { kind: 'pod', name: 'client', namespace: 'payments' });
  });

  test('malformed references are usage errors that name what is accepted', () => {
    assert.match(usage('a/b/c').message, /"b" is not a kind of client/);
    assert.match(usage('a/b/c').hint, /pod \(po\), deploy, sts, ds, rs, job, node \(no\), or external/);
    assert.match(usage('svc/web').message, /"svc" is not a kind of client/);
    assert.match(usage('a/b/c/d').message, /is not a client this tool knows/);
    assert.match(usage('pod/').message, /is not a client this tool knows/);
    assert.match(usage('pod/Client_1').message, /"Client_1" is not a valid pod name in --from/);
    assert.match(usage('sts/DB').message, /"DB" is not a valid statefulset name in --from/);
    assert.match(usage('Shop/pod/client').message, /"Shop" is not a valid namespace in --from Shop\/pod\/client/);
  });

  test('contradictions are usage errors too', () => {
    assert.match(usage('other/pod/client', 'payments').message, /names namespace other but --from-namespace says payments/);
    assert.match(usage('external', 'payments').message, /outside every namespace/);
    assert.match(usage('kube-system/node/worker-1').message, /nodes belong to no namespace/);
    assert.match(usage('node/worker-1', 'payments').message, /nodes belong to no namespace/);
    assert.match(usage(undefined, 'Payments').message, /"Payments" is not a valid namespace in --from-namespace/);
  });
});
