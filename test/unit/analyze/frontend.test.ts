// The frontend hop: ClusterIP, NodePort, LoadBalancer entry points and their findings
// (loadbalancer-*, nodeport-exposed, not-reachable-externally, warning-events).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { analyze } from '../../../src/analyze/trace.js';
import {
  expectFinding,
  expectNoFinding,
  externalClient,
  hopOf,
  ids,
  loadFixture,
  offlineSnapshotOf,
  snapshotOf,
  traceOf,
} from '../../support/snapshot.js';

describe('loadbalancer-pending', () => {
  test('a LoadBalancer with no ingress: error, frontend fails, the summary says <pending>', () => {
    const trace = traceOf('loadbalancer-pending');
    expectFinding(trace, 'loadbalancer-pending', 'error', '<pending>');
    assert.equal(trace.verdict, 'broken');
    assert.equal(hopOf(trace, 'frontend').status, 'fail');
    assert.deepEqual(trace.service.external, ['<pending>']);
  });

  test('near: a pending load balancer of a loadBalancerClass is not this error', () => {
    expectNoFinding(traceOf('loadbalancer-class-pending'), 'loadbalancer-pending');
  });

  test('near: a load balancer with an ingress hostname is neither', () => {
    const trace = traceOf('loadbalancer-hostname');
    expectNoFinding(trace, 'loadbalancer-pending');
    expectNoFinding(trace, 'loadbalancer-class-unhandled');
    const hostname = 'a3f1c9e0b7d2411e8b5a-1234567890.eu-west-1.elb.amazonaws.com';
    assert.deepEqual(trace.service.external, [hostname]);
    assert.ok(hopOf(trace, 'frontend').entries.some((entry) => entry.kind === 'LoadBalancer' && entry.address === hostname && entry.port === 80));
  });

  test('near: a load balancer with an ingress IP', () => {
    const trace = traceOf('loadbalancer-local-gaps');
    expectNoFinding(trace, 'loadbalancer-pending');
    assert.deepEqual(trace.service.external, ['203.0.113.10']);
  });

  test('offline, where no controller could have answered yet, it is not claimed', () => {
    const pending = analyze(offlineSnapshotOf(loadFixture('loadbalancer-pending')));
    expectNoFinding(pending, 'loadbalancer-pending');
    const classed = analyze(offlineSnapshotOf(loadFixture('loadbalancer-class-pending')));
    expectNoFinding(classed, 'loadbalancer-class-unhandled');
  });
});

describe('loadbalancer-class-unhandled', () => {
  test('a loadBalancerClass nobody has answered for: a warning naming the class', () => {
    const trace = traceOf('loadbalancer-class-pending');
    expectFinding(trace, 'loadbalancer-class-unhandled', 'warning', 'example.com/internal-lb', '<pending>');
    assert.equal(trace.verdict, 'degraded');
    assert.equal(hopOf(trace, 'frontend').status, 'warn');
  });

  test('near: a pending load balancer without class is loadbalancer-pending instead', () => {
    expectNoFinding(traceOf('loadbalancer-pending'), 'loadbalancer-class-unhandled');
  });

  test('near: the same class once its controller has reported an address', () => {
    const fixture = loadFixture('loadbalancer-class-pending');
    fixture.service.status = { loadBalancer: { ingress: [{ ip: '10.0.200.15', ipMode: 'VIP' }] } };
    const trace = analyze(snapshotOf(fixture));
    expectNoFinding(trace, 'loadbalancer-class-unhandled');
    expectNoFinding(trace, 'loadbalancer-pending');
  });
});

describe('loadbalancer-source-ranges', () => {
  test('says which client ranges the load balancer admits', () => {
    expectFinding(traceOf('loadbalancer-hostname'), 'loadbalancer-source-ranges', 'info', '203.0.113.0/24, 198.51.100.7/32');
  });

  test('near: a load balancer open to every client', () => {
    expectNoFinding(traceOf('loadbalancer-local-gaps'), 'loadbalancer-source-ranges');
  });
});

describe('nodeport-exposed', () => {
  test('a NodePort Service: the nodePort, and an entry for every node address', () => {
    const trace = traceOf('nodeport');
    expectFinding(trace, 'nodeport-exposed', 'info', '30080/TCP');
    const nodePorts = hopOf(trace, 'frontend').entries.filter((entry) => entry.kind === 'NodePort');
    assert.deepEqual(
      nodePorts.map((entry) => `${entry.node} ${entry.address}:${entry.port}`),
      ['worker-1 10.0.1.11:30080', 'worker-2 10.0.1.12:30080', 'worker-3 10.0.1.13:30080'],
    );
  });

  test('a LoadBalancer allocates node ports too', () => {
    expectFinding(traceOf('loadbalancer-hostname'), 'nodeport-exposed', 'info', '31380/TCP');
  });

  test('near: a LoadBalancer with allocateLoadBalancerNodePorts false', () => {
    const fixture = loadFixture('loadbalancer-hostname');
    fixture.service.spec.allocateLoadBalancerNodePorts = false;
    for (const port of fixture.service.spec.ports!) delete port.nodePort;
    const trace = analyze(snapshotOf(fixture));
    expectNoFinding(trace, 'nodeport-exposed');
    assert.ok(!hopOf(trace, 'frontend').entries.some((entry) => entry.kind === 'NodePort'));
  });

  test('near: a ClusterIP Service', () => {
    expectNoFinding(traceOf('healthy-web'), 'nodeport-exposed');
  });

  test('when nodes may not be read, the entry stands for every node and the hop says why', () => {
    const fixture = loadFixture('nodeport');
    const trace = analyze(snapshotOf(fixture, { nodes: { skipped: 'forbidden: cannot list nodes' } }));
    const hop = hopOf(trace, 'frontend');
    assert.deepEqual(
      hop.entries.filter((entry) => entry.kind === 'NodePort').map((entry) => `${entry.address}:${entry.port}`),
      ['<node-ip>:30080'],
    );
    assert.ok(hop.notes.includes('forbidden: cannot list nodes'));
  });
});

describe('not-reachable-externally', () => {
  test('--from external to a ClusterIP Service', () => {
    const trace = traceOf('healthy-web', { client: externalClient });
    expectFinding(trace, 'not-reachable-externally', 'error', 'ClusterIP Service', 'only inside the cluster');
    assert.equal(trace.verdict, 'broken');
    assert.equal(hopOf(trace, 'frontend').status, 'fail');
    assert.equal(hopOf(trace, 'dns').status, 'skip');
  });

  test('near: --from external to a NodePort Service is fine, and shows only the external entry points', () => {
    const trace = traceOf('nodeport', { client: externalClient });
    expectNoFinding(trace, 'not-reachable-externally');
    assert.equal(trace.verdict, 'ok');
    const kinds = new Set(hopOf(trace, 'frontend').entries.map((entry) => entry.kind));
    assert.deepEqual([...kinds], ['NodePort']);
  });

  test('near: a ClusterIP Service with externalIPs', () => {
    const fixture = loadFixture('healthy-web');
    fixture.service.spec.externalIPs = ['198.51.100.20'];
    fixture.service.spec.externalTrafficPolicy = 'Cluster';
    const trace = analyze(snapshotOf(fixture, { client: externalClient }));
    expectNoFinding(trace, 'not-reachable-externally');
    assert.ok(hopOf(trace, 'frontend').entries.some((entry) => entry.kind === 'ExternalIP' && entry.address === '198.51.100.20'));
  });

  test('near: the same ClusterIP Service from inside the cluster', () => {
    expectNoFinding(traceOf('healthy-web'), 'not-reachable-externally');
  });
});

describe('warning-events', () => {
  test('Warning events on the Service, with reason and message', () => {
    const trace = traceOf('endpointslice-update-failed');
    const finding = expectFinding(trace, 'warning-events', 'warning', '1 Warning event(s)', 'FailedToUpdateEndpointSlices: Error updating Endpoint Slices');
    assert.deepEqual(finding.objects, [{ kind: 'Service', name: 'web', namespace: 'shop' }]);
    assert.equal(trace.verdict, 'degraded');
  });

  test('a Warning on one of its EndpointSlices counts; one on another Service does not', () => {
    const fixture = loadFixture('healthy-web');
    const template = loadFixture('endpointslice-update-failed').events.items[0]!;
    fixture.events.items = [
      { ...template, involvedObject: { kind: 'EndpointSlice', namespace: 'shop', name: 'web-zflst' }, reason: 'SliceTrouble', message: 'x' },
      { ...template, involvedObject: { kind: 'Service', namespace: 'shop', name: 'web-old' }, reason: 'OtherTrouble', message: 'y' },
    ];
    const finding = expectFinding(analyze(snapshotOf(fixture)), 'warning-events', 'warning', '1 Warning event(s)', 'SliceTrouble: x');
    assert.ok(!finding.message.includes('OtherTrouble'));
  });

  test('near: Normal events only', () => {
    const fixture = loadFixture('loadbalancer-hostname');
    assert.ok(fixture.events.items.length > 0);
    expectNoFinding(analyze(snapshotOf(fixture)), 'warning-events');
  });

  test('events that may not be read are a note on the frontend hop, not a finding', () => {
    const trace = traceOf('endpointslice-update-failed', { events: { skipped: 'forbidden: cannot list events' } });
    expectNoFinding(trace, 'warning-events');
    assert.deepEqual(hopOf(trace, 'frontend').notes, ['forbidden: cannot list events']);
    assert.deepEqual(ids(trace), []);
  });
});
