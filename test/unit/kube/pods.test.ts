import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { declaredPorts, notReadyReason, podIP, resolveTargetPort, workloadOf } from '../../../src/kube/pods.js';
import type { Pod, ServicePort } from '../../../src/kube/types.js';
import { loadFixture, podNamed } from '../../support/snapshot.js';

const pod = (fixture: string, name: string): Pod => podNamed(loadFixture(fixture), name);

describe('workloadOf', () => {
  test('a ReplicaSet named <deployment>-<pod-template-hash> stands for its Deployment', () => {
    assert.equal(workloadOf(pod('healthy-web', 'web-7d9c5b6f4d-nfh7v')), 'Deployment/web');
  });

  test('both ReplicaSets of a rollout are the same Deployment', () => {
    const fixture = loadFixture('rollout-terminating');
    assert.equal(workloadOf(podNamed(fixture, 'web-6b7f9c8d4f-2wbmk')), 'Deployment/web');
    assert.equal(workloadOf(podNamed(fixture, 'web-7d9c5b6f4d-7b2nj')), 'Deployment/web');
  });

  test('a Deployment whose name has dashes keeps them', () => {
    assert.equal(workloadOf(pod('two-deployments', 'web-canary-5c8d7f6b9d-rk268')), 'Deployment/web-canary');
  });

  test('StatefulSet and DaemonSet pods name their controller', () => {
    assert.equal(workloadOf(pod('headless-statefulset', 'db-1')), 'StatefulSet/db');
    assert.equal(workloadOf(pod('daemonset-nodeport-local', 'edge-proxy-b9gfw')), 'DaemonSet/edge-proxy');
  });

  test('a ReplicaSet without the pod-template-hash of its pods is a ReplicaSet of its own', () => {
    const standalone = structuredClone(pod('healthy-web', 'web-7d9c5b6f4d-nfh7v'));
    delete standalone.metadata.labels!['pod-template-hash'];
    assert.equal(workloadOf(standalone), 'ReplicaSet/web-7d9c5b6f4d');
  });

  test('a bare pod is its own workload', () => {
    const bare = structuredClone(pod('healthy-web', 'web-7d9c5b6f4d-nfh7v'));
    delete bare.metadata.ownerReferences;
    assert.equal(workloadOf(bare), 'Pod/web-7d9c5b6f4d-nfh7v');
  });
});

describe('notReadyReason', () => {
  test('a ready pod has none', () => {
    assert.equal(notReadyReason(pod('healthy-web', 'web-7d9c5b6f4d-nfh7v')), undefined);
  });

  test('a running container with a failing readiness probe', () => {
    assert.equal(notReadyReason(pod('readiness-failing', 'web-7d9c5b6f4d-7b2nj')), 'readiness probe of web failing');
  });

  test('a container in CrashLoopBackOff', () => {
    assert.equal(notReadyReason(pod('readiness-failing', 'web-7d9c5b6f4d-tl7bw')), 'container web CrashLoopBackOff');
  });

  test('a pending pod: why its container waits, or why it is not scheduled', () => {
    assert.equal(notReadyReason(pod('no-ready-endpoints', 'web-7d9c5b6f4d-7b2nj')), 'Pending (ImagePullBackOff)');
    assert.equal(notReadyReason(pod('no-ready-endpoints', 'web-7d9c5b6f4d-fpsps')), 'Pending (Unschedulable)');
  });

  test('a pod being deleted is terminating, whatever its conditions', () => {
    assert.equal(notReadyReason(pod('rollout-terminating', 'web-7d9c5b6f4d-7b2nj')), 'terminating');
  });

  test('a would-be pod without status (offline) has none', () => {
    const template = structuredClone(pod('healthy-web', 'web-7d9c5b6f4d-nfh7v'));
    delete template.status;
    assert.equal(notReadyReason(template), undefined);
  });
});

describe('resolveTargetPort (as the EndpointSlice controller resolves it)', () => {
  const web = pod('healthy-web', 'web-7d9c5b6f4d-nfh7v');
  const port = (p: Partial<ServicePort>): ServicePort => ({ protocol: 'TCP', port: 80, ...p });

  test('a named targetPort resolves to the container port of that name and protocol', () => {
    assert.deepEqual(resolveTargetPort(web, port({ targetPort: 'http' })), {
      kind: 'resolved',
      container: 'web',
      containerPort: 8080,
      protocol: 'TCP',
      declared: true,
    });
  });

  test('a name no container declares is missing', () => {
    assert.deepEqual(resolveTargetPort(web, port({ targetPort: 'https' })), { kind: 'missing-name', name: 'https' });
  });

  test('the name with another protocol is a protocol mismatch', () => {
    assert.deepEqual(resolveTargetPort(web, port({ protocol: 'UDP', targetPort: 'http' })), {
      kind: 'protocol-mismatch',
      container: 'web',
      containerPort: 8080,
      protocol: 'TCP',
    });
  });

  test('a number is used as it is, declared or not', () => {
    assert.deepEqual(resolveTargetPort(web, port({ targetPort: 9090 })), {
      kind: 'resolved',
      container: 'web',
      containerPort: 9090,
      protocol: 'TCP',
      declared: true,
    });
    assert.deepEqual(resolveTargetPort(web, port({ targetPort: 8000 })), { kind: 'resolved', containerPort: 8000, protocol: 'TCP', declared: false });
  });

  test('without targetPort the port itself is the target', () => {
    assert.deepEqual(resolveTargetPort(web, { port: 9090 }), { kind: 'resolved', container: 'web', containerPort: 9090, protocol: 'TCP', declared: true });
  });

  test('a named port on a native sidecar resolves, as the controller resolves it', () => {
    const withSidecar = pod('named-port-on-native-sidecar', 'web-7d9c5b6f4d-nfh7v');
    assert.deepEqual(resolveTargetPort(withSidecar, port({ port: 443, targetPort: 'https' })), {
      kind: 'resolved',
      container: 'oauth2-proxy',
      containerPort: 8443,
      protocol: 'TCP',
      declared: true,
    });
  });

  test('a classic init container (runs to completion first) does not serve ports', () => {
    const withInit = structuredClone(pod('named-port-on-native-sidecar', 'web-7d9c5b6f4d-nfh7v'));
    delete withInit.spec.initContainers![0]!.restartPolicy;
    assert.deepEqual(resolveTargetPort(withInit, port({ port: 443, targetPort: 'https' })), { kind: 'missing-name', name: 'https' });
  });
});

describe('declaredPorts and podIP', () => {
  test('every container port with its container, in pod order', () => {
    assert.deepEqual(
      declaredPorts(pod('named-port-on-second-container', 'web-7d9c5b6f4d-nfh7v')).map((p) => `${p.container}/${p.name}:${p.containerPort}`),
      ['log-shipper/fluent-metrics:2020', 'web/http:8080'],
    );
  });

  test('the pod IP from status, none before the pod has one', () => {
    assert.equal(podIP(pod('healthy-web', 'web-7d9c5b6f4d-nfh7v')), '10.244.1.12');
    assert.equal(podIP(pod('no-ready-endpoints', 'web-7d9c5b6f4d-fpsps')), undefined);
  });
});
