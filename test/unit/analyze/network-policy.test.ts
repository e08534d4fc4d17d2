import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  admittedPeers,
  effectivePolicyTypes,
  evaluateEgress,
  evaluateIngress,
  type Admission,
  type TrafficPort,
} from '../../../src/analyze/network-policy.js';
import type { KubeList, Namespace, NetworkPolicy, Node, Pod } from '../../../src/kube/types.js';
import type { Client } from '../../../src/snapshot.js';

// --- fixtures: list responses as the API server returns them ---

function load<T>(file: string): T[] {
  const text = readFileSync(path.resolve('test/fixtures/network-policy', file), 'utf8');
  return (JSON.parse(text) as KubeList<T>).items;
}

const pods = load<Pod>('pods.json');
const nodes = load<Node>('nodes.json');
const namespaceLabels = Object.fromEntries(
  load<Namespace>('namespaces.json').map((namespace) => [namespace.metadata.name, namespace.metadata.labels ?? {}]),
);

function podNamed(name: string): Pod {
  const pod = pods.find((candidate) => candidate.metadata.name === name);
  assert.ok(pod, `fixture pod ${name}`);
  return pod;
}

const web = podNamed('web-7d9c5b6f4d-x2kfp'); // shop, app=web, worker-1, 10.244.1.12 + fd00:10:244:1::c, http 8080, metrics 9090, statsd 9125/UDP
const frontend = podNamed('frontend-6c8f7b9d5c-q7w2m'); // shop, app=frontend, 10.244.2.7 + fd00:10:244:2::7
const scraper = podNamed('scraper-5f6d8c7b9a-m4n8r'); // shop, app=prometheus
const grafana = podNamed('grafana-84b6d9f7c5-t5zxk'); // monitoring (team=ops), app=grafana, 10.244.1.30
const prometheus = podNamed('prometheus-0'); // monitoring (team=ops), app=prometheus
const stagingFrontend = podNamed('frontend-55d7c4b8f6-h9j3k'); // staging (team=a), app=frontend
const nodeExporter = podNamed('node-exporter-8xq2z'); // kube-system, hostNetwork, 172.18.0.4 on worker-2

const fromPod = (pod: Pod): Client => ({ kind: 'pod', pod, namespaceLabels: namespaceLabels[pod.metadata.namespace ?? ''] });
const generic = (namespace: string): Client => ({ kind: 'generic', namespace, namespaceLabels: namespaceLabels[namespace] });
const fromNode = (name: string, known = true): Client => ({
  kind: 'node',
  name,
  node: known ? nodes.find((node) => node.metadata.name === name) : undefined,
});
const external: Client = { kind: 'external' };

const tcp = (number: number): TrafficPort => ({ number, protocol: 'TCP' });
const udp = (number: number): TrafficPort => ({ number, protocol: 'UDP' });

let created = 0;
// A NetworkPolicy as a list response item: server-set metadata, and (for API objects) policyTypes
// and port protocols filled in by defaulting — the specs below spell those out.
function policy(name: string, spec: NetworkPolicy['spec'], namespace = 'shop'): NetworkPolicy {
  created += 1;
  return {
    metadata: {
      name,
      namespace,
      uid: `6f1c2b3a-4d5e-4f60-8a7b-${created.toString(16).padStart(12, '0')}`,
      resourceVersion: String(51000 + created),
      generation: 1,
      creationTimestamp: '2025-11-20T10:02:17Z',
    },
    spec,
  } as NetworkPolicy;
}

const webSelector = { matchLabels: { app: 'web' } };
const defaultDeny = policy('default-deny', { podSelector: {}, policyTypes: ['Ingress'] });
const allowFrontend = policy('allow-frontend', {
  podSelector: webSelector,
  policyTypes: ['Ingress'],
  ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
});
const allowOps = policy('allow-ops', {
  podSelector: webSelector,
  policyTypes: ['Ingress'],
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }],
});
const podRange = policy('allow-pod-range', {
  podSelector: webSelector,
  policyTypes: ['Ingress'],
  ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } }] }],
});
const onlyIngressFrom = (name: string, from: NonNullable<NetworkPolicy['spec']['ingress']>[number]['from']) =>
  policy(name, { podSelector: webSelector, policyTypes: ['Ingress'], ingress: [{ from }] });
const onlyIngressPorts = (name: string, ports: NonNullable<NetworkPolicy['spec']['ingress']>[number]['ports']) =>
  policy(name, { podSelector: webSelector, policyTypes: ['Ingress'], ingress: [{ ports }] });
// As written in a manifest (offline mode): policyTypes omitted, only egress rules.
const egressManifest = policy('restrict-egress', {
  podSelector: {},
  egress: [
    {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
      ports: [{ protocol: 'UDP', port: 53 }],
    },
  ],
});

interface Case {
  name: string;
  policies: NetworkPolicy[];
  client: Client;
  allowed: Admission;
  isolated?: boolean;
  admitting?: string[];
  backend?: Pod;
  port?: TrafficPort;
  address?: string;
  namespaceLabels?: Record<string, Record<string, string>>;
}

function check(evaluate: typeof evaluateIngress, cases: Case[]): void {
  for (const item of cases) {
    test(item.name, () => {
      const decision = evaluate({
        policies: item.policies,
        backend: item.backend ?? web,
        namespaceLabels: item.namespaceLabels ?? namespaceLabels,
        client: item.client,
        port: item.port ?? tcp(8080),
        address: item.address,
      });
      assert.equal(decision.allowed, item.allowed, decision.reason);
      if (item.isolated !== undefined) assert.equal(decision.isolated, item.isolated, decision.reason);
      if (item.admitting !== undefined) assert.deepEqual(decision.admittingPolicies, item.admitting);
    });
  }
}

describe('evaluateIngress: isolation', () => {
  check(evaluateIngress, [
    { name: 'no policies: allowed, not isolated', policies: [], client: generic('shop'), allowed: true, isolated: false },
    { name: 'default deny {podSelector: {}}: denied', policies: [defaultDeny], client: fromPod(frontend), allowed: false, isolated: true },
    {
      name: 'ingress: [{}] admits everything',
      policies: [policy('allow-all', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] })],
      client: external,
      allowed: true,
      isolated: true,
      admitting: ['allow-all'],
    },
    {
      name: 'policyTypes omitted with only egress rules still isolates for ingress',
      policies: [egressManifest],
      client: fromPod(frontend),
      allowed: false,
      isolated: true,
    },
    {
      name: 'policyTypes [Egress] does not isolate for ingress',
      policies: [policy('egress-only', { podSelector: {}, policyTypes: ['Egress'] })],
      client: fromPod(frontend),
      allowed: true,
      isolated: false,
    },
    {
      name: 'a policy that selects other pods only does not isolate',
      policies: [policy('db-only', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] })],
      client: fromPod(frontend),
      allowed: true,
      isolated: false,
    },
    {
      name: "a default deny in another namespace does not isolate the backend",
      policies: [policy('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }, 'staging')],
      client: fromPod(frontend),
      allowed: true,
      isolated: false,
    },
    {
      name: 'union: only the second policy admits',
      policies: [defaultDeny, allowFrontend],
      client: fromPod(frontend),
      allowed: true,
      admitting: ['allow-frontend'],
    },
    {
      name: 'host-network backend is not isolated',
      policies: [policy('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }, 'kube-system')],
      backend: nodeExporter,
      port: tcp(9100),
      client: fromPod(frontend),
      allowed: true,
      isolated: false,
    },
  ]);
});

describe('evaluateIngress: pod and namespace selectors', () => {
  const andPeer = onlyIngressFrom('allow-scrape', [
    { namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'prometheus' } } },
  ]);
  const orPeers = onlyIngressFrom('allow-scrape', [
    { namespaceSelector: { matchLabels: { team: 'ops' } } },
    { podSelector: { matchLabels: { app: 'prometheus' } } },
  ]);
  check(evaluateIngress, [
    { name: 'podSelector peer matches the client labels', policies: [allowFrontend], client: fromPod(frontend), allowed: true },
    { name: 'podSelector peer does not match other labels', policies: [allowFrontend], client: fromPod(scraper), allowed: false },
    {
      name: "podSelector peer alone means the policy's namespace, not the client's",
      policies: [allowFrontend],
      client: fromPod(stagingFrontend),
      allowed: false,
    },
    { name: 'namespaceSelector alone admits any pod of a matching namespace', policies: [allowOps], client: fromPod(grafana), allowed: true },
    { name: 'namespaceSelector alone rejects other namespaces', policies: [allowOps], client: fromPod(frontend), allowed: false },
    { name: 'both selectors in one peer (AND): right pod, right namespace', policies: [andPeer], client: fromPod(prometheus), allowed: true },
    { name: 'both selectors in one peer (AND): wrong pod in the right namespace', policies: [andPeer], client: fromPod(grafana), allowed: false },
    { name: 'both selectors in one peer (AND): right pod in the wrong namespace', policies: [andPeer], client: fromPod(scraper), allowed: false },
    { name: 'selectors in two peers (OR): any pod of the namespace', policies: [orPeers], client: fromPod(grafana), allowed: true },
    { name: "selectors in two peers (OR): the pod in the policy's namespace", policies: [orPeers], client: fromPod(scraper), allowed: true },
    { name: 'selectors in two peers (OR): neither', policies: [orPeers], client: fromPod(frontend), allowed: false },
    {
      name: 'namespace labels unknown: kubernetes.io/metadata.name still matches',
      policies: [onlyIngressFrom('allow-monitoring', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }])],
      client: { kind: 'pod', pod: grafana, namespaceLabels: {} },
      namespaceLabels: {},
      allowed: true,
    },
    {
      name: 'namespace labels unknown: other labels do not match',
      policies: [allowOps],
      client: { kind: 'pod', pod: grafana, namespaceLabels: {} },
      namespaceLabels: {},
      allowed: false,
    },
    {
      name: 'matchExpressions NotIn admits a pod without that label value',
      policies: [onlyIngressFrom('not-frontend', [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['frontend'] }] } }])],
      client: fromPod(scraper),
      allowed: true,
    },
  ]);
});

describe('evaluateIngress: ipBlock', () => {
  const v6Block = (cidr: string) => onlyIngressFrom('allow-v6', [{ ipBlock: { cidr } }]);
  check(evaluateIngress, [
    { name: 'client IP inside cidr and outside except', policies: [podRange], client: fromPod(grafana), allowed: true },
    { name: 'client IP inside except: denied', policies: [podRange], client: fromPod(frontend), allowed: false },
    {
      name: 'IPv6 traffic: client IPv6 address inside the block',
      policies: [v6Block('fd00:10:244:2::/64')],
      client: fromPod(frontend),
      address: 'fd00:10:244:1::c',
      allowed: true,
    },
    {
      name: 'IPv6 traffic: client outside the block',
      policies: [v6Block('fd00:10:244:3::/64')],
      client: fromPod(frontend),
      address: 'fd00:10:244:1::c',
      allowed: false,
    },
    {
      name: 'IPv4 traffic is not admitted by an IPv6 block that holds the client',
      policies: [v6Block('fd00:10:244:2::/64')],
      client: fromPod(frontend),
      allowed: false,
    },
    {
      name: 'IPv6 traffic is not admitted by an IPv4 block that holds the client',
      policies: [onlyIngressFrom('allow-v4', [{ ipBlock: { cidr: '10.244.2.0/24' } }])],
      client: fromPod(frontend),
      address: 'fd00:10:244:1::c',
      allowed: false,
    },
  ]);
});

describe('evaluateIngress: ports', () => {
  const named = (name: string, protocol: 'TCP' | 'UDP' = 'TCP') => onlyIngressPorts(`allow-${name}`, [{ protocol, port: name }]);
  const range = onlyIngressPorts('allow-range', [{ protocol: 'TCP', port: 8000, endPort: 8080 }]);
  check(evaluateIngress, [
    { name: 'named port resolves to its number on the backend', policies: [named('http')], client: fromPod(frontend), allowed: true },
    { name: 'named port does not admit another port', policies: [named('http')], client: fromPod(frontend), port: tcp(9090), allowed: false },
    { name: 'named port the backend lacks admits nothing', policies: [named('grpc')], client: fromPod(frontend), allowed: false },
    { name: 'named UDP port resolves with its protocol', policies: [named('statsd', 'UDP')], client: fromPod(frontend), port: udp(9125), allowed: true },
    { name: 'named port with the wrong protocol does not resolve', policies: [named('statsd')], client: fromPod(frontend), port: tcp(9125), allowed: false },
    { name: 'endPort range: lower bound', policies: [range], client: fromPod(frontend), port: tcp(8000), allowed: true },
    { name: 'endPort range: upper bound', policies: [range], client: fromPod(frontend), port: tcp(8080), allowed: true },
    { name: 'endPort range: below', policies: [range], client: fromPod(frontend), port: tcp(7999), allowed: false },
    { name: 'endPort range: above', policies: [range], client: fromPod(frontend), port: tcp(8081), allowed: false },
    { name: 'UDP rule does not admit TCP', policies: [onlyIngressPorts('udp', [{ protocol: 'UDP', port: 8080 }])], client: fromPod(frontend), allowed: false },
    { name: 'UDP rule admits UDP', policies: [onlyIngressPorts('udp', [{ protocol: 'UDP', port: 8080 }])], client: fromPod(frontend), port: udp(8080), allowed: true },
    { name: 'protocol without port admits every port of it', policies: [onlyIngressPorts('tcp', [{ protocol: 'TCP' }])], client: fromPod(frontend), port: tcp(9090), allowed: true },
    { name: 'protocol without port rejects other protocols', policies: [onlyIngressPorts('tcp', [{ protocol: 'TCP' }])], client: fromPod(frontend), port: udp(9125), allowed: false },
  ]);
});

describe('evaluateIngress: clients without labels or IP', () => {
  const sameNamespace = onlyIngressFrom('allow-same-namespace', [{ podSelector: {} }]);
  const allowNodes = onlyIngressFrom('allow-nodes', [{ ipBlock: { cidr: '172.18.0.0/24' } }]);
  const everyPod = onlyIngressFrom('allow-every-pod', [{ namespaceSelector: {}, podSelector: {} }]);
  check(evaluateIngress, [
    { name: 'generic client: podSelector {} admits an unlabelled pod of the namespace', policies: [sameNamespace], client: generic('shop'), allowed: true },
    { name: 'generic client: podSelector {} rejects another namespace', policies: [sameNamespace], client: generic('staging'), allowed: false },
    { name: 'generic client: a labelled podSelector rejects it', policies: [allowFrontend], client: generic('shop'), allowed: false },
    { name: 'generic client: an ipBlock rule leaves it unknown', policies: [podRange], client: generic('shop'), allowed: 'unknown' },
    {
      name: 'external client: 0.0.0.0/0 admits',
      policies: [onlyIngressFrom('allow-internet', [{ ipBlock: { cidr: '0.0.0.0/0' } }])],
      client: external,
      allowed: true,
    },
    {
      name: 'external client: 0.0.0.0/0 with an except is unknown',
      policies: [onlyIngressFrom('allow-internet', [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }])],
      client: external,
      allowed: 'unknown',
    },
    {
      name: 'external client: a narrow block is unknown',
      policies: [onlyIngressFrom('allow-office', [{ ipBlock: { cidr: '203.0.113.0/24' } }])],
      client: external,
      allowed: 'unknown',
    },
    {
      name: 'external client: ::/0 does not admit IPv4 traffic',
      policies: [onlyIngressFrom('allow-internet-v6', [{ ipBlock: { cidr: '::/0' } }])],
      client: external,
      allowed: false,
    },
    { name: 'external client: pod selectors never admit it', policies: [everyPod], client: external, allowed: false },
    { name: 'node client: ipBlock holding its InternalIP admits', policies: [allowNodes], client: fromNode('worker-2'), allowed: true },
    { name: 'node client: pod selectors do not admit host traffic', policies: [everyPod], client: fromNode('worker-2'), allowed: false },
    { name: "node client: the backend's own node is up to the network plugin", policies: [defaultDeny], client: fromNode('worker-1'), allowed: 'unknown' },
    { name: 'node client: ipBlock with the node IP unknown', policies: [allowNodes], client: fromNode('worker-2', false), allowed: 'unknown' },
    { name: 'host-network client pod: selectors depend on the network plugin', policies: [everyPod], client: fromPod(nodeExporter), allowed: 'unknown' },
    { name: 'host-network client pod: its node IP matches an ipBlock', policies: [allowNodes], client: fromPod(nodeExporter), allowed: true },
  ]);
});

describe('evaluateIngress: reasons', () => {
  const args = { backend: web, namespaceLabels, port: tcp(8080) };
  test('not isolated', () => {
    const decision = evaluateIngress({ ...args, policies: [], client: generic('shop') });
    assert.equal(decision.reason, 'No NetworkPolicy in namespace shop selects pod web-7d9c5b6f4d-x2kfp for ingress, so it admits all traffic');
  });
  test('denied names the isolating policy, the client and the port', () => {
    const decision = evaluateIngress({ ...args, policies: [defaultDeny], client: generic('shop') });
    assert.deepEqual(decision.selectingPolicies, ['default-deny']);
    assert.equal(
      decision.reason,
      'NetworkPolicy default-deny isolates pod web-7d9c5b6f4d-x2kfp for ingress and no rule admits an unlabelled pod in namespace shop on TCP 8080',
    );
  });
  test('allowed names the admitting policy', () => {
    const decision = evaluateIngress({ ...args, policies: [defaultDeny, allowFrontend], client: fromPod(frontend) });
    assert.equal(
      decision.reason,
      'NetworkPolicy allow-frontend admits pod frontend-6c8f7b9d5c-q7w2m in namespace shop to pod web-7d9c5b6f4d-x2kfp on TCP 8080',
    );
  });
  test('unknown says which IP is missing', () => {
    const decision = evaluateIngress({ ...args, policies: [defaultDeny, podRange], client: external });
    assert.equal(
      decision.reason,
      'NetworkPolicies default-deny, allow-pod-range isolate pod web-7d9c5b6f4d-x2kfp for ingress and only an ipBlock rule could admit a client outside the cluster on TCP 8080, but its source IP is not known',
    );
  });
  test('a node is named with its InternalIP of the traffic family', () => {
    const decision = evaluateIngress({ ...args, policies: [defaultDeny], client: fromNode('worker-2') });
    assert.match(decision.reason, /no rule admits node worker-2 \(172\.18\.0\.4\) on TCP 8080$/);
  });
  test('own node with its IP unknown says both', () => {
    const decision = evaluateIngress({ ...args, policies: [podRange], client: fromNode('worker-1', false) });
    assert.equal(decision.allowed, 'unknown');
    assert.match(decision.reason, /only an ipBlock rule could admit node worker-1 on TCP 8080, but the node's IP is not known; besides, most network plugins always admit traffic from a pod's own node$/);
  });
  test("own node says network plugins usually admit it", () => {
    const decision = evaluateIngress({ ...args, policies: [defaultDeny], client: fromNode('worker-1') });
    assert.match(decision.reason, /no rule admits node worker-1 on TCP 8080, but most network plugins always admit traffic from a pod's own node$/);
  });
});

describe('evaluateEgress', () => {
  const denyEgress = (namespace: string) => policy('default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] }, namespace);
  const egressTo = (name: string, to: NonNullable<NetworkPolicy['spec']['egress']>[number]['to'], namespace = 'shop') =>
    policy(name, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to, ports: [{ protocol: 'TCP', port: 8080 }] }] }, namespace);
  check(evaluateEgress, [
    { name: 'no policies: not isolated', policies: [], client: fromPod(frontend), allowed: true, isolated: false },
    { name: 'default deny egress in the client namespace: denied', policies: [denyEgress('shop')], client: fromPod(frontend), allowed: false, isolated: true },
    { name: "default deny egress in another namespace does not isolate the client", policies: [denyEgress('monitoring')], client: fromPod(frontend), allowed: true, isolated: false },
    { name: 'generic client is not checked for egress', policies: [denyEgress('shop')], client: generic('shop'), allowed: true, isolated: false },
    { name: 'external client is not subject to egress policy', policies: [denyEgress('shop')], client: external, allowed: true, isolated: false },
    { name: 'policyTypes omitted with only egress rules isolates egress', policies: [egressManifest], client: fromPod(frontend), allowed: false, isolated: true },
    {
      name: 'namespaceSelector matching the backend namespace admits',
      policies: [egressTo('allow-team-a', [{ namespaceSelector: { matchLabels: { team: 'a' } } }])],
      client: fromPod(frontend),
      allowed: true,
      admitting: ['allow-team-a'],
    },
    {
      name: 'namespaceSelector of another namespace does not admit',
      policies: [egressTo('allow-ops', [{ namespaceSelector: { matchLabels: { team: 'ops' } } }])],
      client: fromPod(frontend),
      allowed: false,
    },
    {
      name: "podSelector alone means the client's namespace",
      policies: [egressTo('allow-web', [{ podSelector: webSelector }], 'staging')],
      client: fromPod(stagingFrontend),
      allowed: false,
    },
    {
      name: 'podSelector with namespaceSelector reaches the backend namespace',
      policies: [egressTo('allow-web', [{ podSelector: webSelector, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }], 'staging')],
      client: fromPod(stagingFrontend),
      allowed: true,
    },
    {
      name: 'backend namespace labels unknown: kubernetes.io/metadata.name still matches',
      policies: [egressTo('allow-shop', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }], 'staging')],
      client: { kind: 'pod', pod: stagingFrontend, namespaceLabels: {} },
      namespaceLabels: {},
      allowed: true,
    },
    { name: 'ipBlock holding the backend pod IP admits', policies: [egressTo('allow-range', [{ ipBlock: { cidr: '10.244.1.0/24' } }])], client: fromPod(frontend), allowed: true },
    { name: 'ipBlock missing the backend pod IP denies', policies: [egressTo('allow-range', [{ ipBlock: { cidr: '10.244.2.0/24' } }])], client: fromPod(frontend), allowed: false },
    {
      name: 'the port is the backend container port after DNAT, not the Service port',
      policies: [egressTo('allow-all-pods', [{ namespaceSelector: {} }])],
      client: fromPod(frontend),
      port: tcp(80),
      allowed: false,
    },
    {
      name: 'named port resolves on the destination pod',
      policies: [policy('allow-http-out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'TCP', port: 'http' }] }] })],
      client: fromPod(frontend),
      allowed: true,
    },
    {
      name: "named port is not resolved on the client (frontend's http is 3000)",
      policies: [policy('allow-http-out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'TCP', port: 'http' }] }] })],
      client: fromPod(frontend),
      port: tcp(3000),
      allowed: false,
    },
  ]);

  test('denied reason names the client pod and the destination', () => {
    const decision = evaluateEgress({ policies: [denyEgress('shop')], backend: web, namespaceLabels, client: fromPod(frontend), port: tcp(8080) });
    assert.equal(
      decision.reason,
      'NetworkPolicy default-deny-egress isolates pod frontend-6c8f7b9d5c-q7w2m for egress and no rule admits traffic to pod web-7d9c5b6f4d-x2kfp in namespace shop on TCP 8080',
    );
  });
});

describe('admittedPeers', () => {
  const metricsOnly = policy('allow-metrics', {
    podSelector: webSelector,
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 'metrics' }] }],
  });
  const scrape = onlyIngressFrom('allow-scrape', [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'prometheus' } } }]);

  test('lists who the policies admit on the port, and only on that port', () => {
    const peers = admittedPeers({ policies: [defaultDeny, allowFrontend, allowOps, podRange, metricsOnly, scrape], backend: web, port: tcp(8080) });
    assert.deepEqual(peers, [
      { policy: 'allow-frontend', peer: 'pods with app=frontend in namespace shop' },
      { policy: 'allow-ops', peer: 'any pod in namespaces with team=ops' },
      { policy: 'allow-pod-range', peer: 'IP block 10.244.0.0/16 except 10.244.2.0/24' },
      { policy: 'allow-scrape', peer: 'pods with app=prometheus in namespaces with team=ops' },
    ]);
  });

  test('names a namespace selected by its name label, and a rule without peers', () => {
    const open = onlyIngressPorts('allow-9090', [{ protocol: 'TCP', port: 9090 }]);
    const peers = admittedPeers({ policies: [metricsOnly, open], backend: web, port: tcp(9090) });
    assert.deepEqual(peers, [
      { policy: 'allow-metrics', peer: 'any pod in namespace monitoring' },
      { policy: 'allow-9090', peer: 'any source' },
    ]);
  });

  test('ignores policies that do not select the backend', () => {
    const other = policy('allow-db', {
      podSelector: { matchLabels: { app: 'db' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
    });
    assert.deepEqual(admittedPeers({ policies: [defaultDeny, other], backend: web, port: tcp(8080) }), []);
  });
});

describe('effectivePolicyTypes', () => {
  const cases: Array<[string, NetworkPolicy['spec'], string[]]> = [
    ['omitted, no egress rules', { podSelector: {}, ingress: [{}] }, ['Ingress']],
    ['omitted, egress rules', { podSelector: {}, egress: [{}] }, ['Ingress', 'Egress']],
    ['explicit Egress only', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] }, ['Egress']],
  ];
  for (const [name, spec, expected] of cases) {
    test(name, () => assert.deepEqual(effectivePolicyTypes(policy('p', spec)), expected));
  }
});
