// Snapshots for analysis tests, from the API-shaped fixtures of test/fixtures/cluster: what a source
// would find (the Service, its EndpointSlices, the namespace's pods, the secondary lookups), handed to
// the real assembler (src/snapshot/assemble.ts), which picks the pods that count.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { catalogue, type FindingId } from '../../src/analyze/catalogue.js';
import type { Finding, Hop, HopKind, Level, Trace } from '../../src/analyze/model.js';
import { analyze, type AnalyzeOptions } from '../../src/analyze/trace.js';
import type { EndpointSlice, Event, KubeList, Namespace, NetworkPolicy, Node, Pod, Service } from '../../src/kube/types.js';
import type { Client, Snapshot } from '../../src/snapshot.js';
import { assembleSnapshot } from '../../src/snapshot/assemble.js';

// One fixture file: what the API server answered for one Service (lists as list responses).
export interface ClusterFixture {
  service: Service;
  endpointSlices: KubeList<EndpointSlice>;
  pods: KubeList<Pod>; // every pod of the Service's namespace
  nodes?: KubeList<Node>;
  namespaces?: KubeList<Namespace>;
  networkPolicies?: KubeList<NetworkPolicy>;
  events: KubeList<Event>;
}

// A fresh copy on every call, so a test may change it without touching the others.
export function loadFixture(name: string): ClusterFixture {
  return JSON.parse(readFileSync(path.resolve('test/fixtures/cluster', `${name}.json`), 'utf8')) as ClusterFixture;
}

export function namespaceOf(fixture: ClusterFixture): string {
  return fixture.service.metadata.namespace ?? 'default';
}

function namespaceLabelsOf(fixture: ClusterFixture): Record<string, Record<string, string>> {
  const namespace = namespaceOf(fixture);
  const labels: Record<string, Record<string, string>> = { [namespace]: { 'kubernetes.io/metadata.name': namespace } };
  for (const item of fixture.namespaces?.items ?? []) labels[item.metadata.name] = item.metadata.labels ?? {};
  return labels;
}

export function podNamed(fixture: ClusterFixture, name: string): Pod {
  const pod = fixture.pods.items.find((candidate) => candidate.metadata.name === name);
  if (!pod) throw new Error(`fixture has no pod ${name}`);
  return pod;
}

export function podsWithLabel(fixture: ClusterFixture, key: string, value: string): Pod[] {
  return fixture.pods.items.filter((pod) => pod.metadata.labels?.[key] === value);
}

// --- clients (--from) ---

export function genericClient(fixture: ClusterFixture): Client {
  const namespace = namespaceOf(fixture);
  return { kind: 'generic', namespace, namespaceLabels: namespaceLabelsOf(fixture)[namespace]! };
}

export function podClient(fixture: ClusterFixture, name: string): Client {
  const pod = podNamed(fixture, name);
  return { kind: 'pod', pod, namespaceLabels: namespaceLabelsOf(fixture)[pod.metadata.namespace ?? 'default'] ?? {} };
}

export function nodeClient(fixture: ClusterFixture, name: string): Client {
  const node = fixture.nodes?.items.find((candidate) => candidate.metadata.name === name);
  return node ? { kind: 'node', name, node } : { kind: 'node', name };
}

export const externalClient: Client = { kind: 'external' };

// --- snapshots ---

// What the live gatherer finds for the fixture's Service, put together by the real assembler.
export function snapshotOf(fixture: ClusterFixture, overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    ...assembleSnapshot('cluster', {
      service: fixture.service,
      pods: fixture.pods.items,
      podsOfNamespace: { items: fixture.pods.items },
      endpointSlices: { items: fixture.endpointSlices.items },
      ...(fixture.nodes ? { nodes: { items: fixture.nodes.items } } : {}),
      networkPolicies: { items: fixture.networkPolicies?.items ?? [] },
      namespaceLabels: namespaceLabelsOf(fixture),
      events: { items: fixture.events.items },
    }),
    ...overrides,
  };
}

// What offline mode finds in manifests that hold the fixture's workloads: would-be pods from templates
// (no status, no node), and no EndpointSlices, Nodes or Events — put together by the real assembler.
export function offlineSnapshotOf(fixture: ClusterFixture, overrides: Partial<Snapshot> = {}): Snapshot {
  const wouldBe = (pod: Pod): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, labels: pod.metadata.labels, ownerReferences: pod.metadata.ownerReferences },
    spec: { containers: pod.spec.containers },
  });
  return {
    ...assembleSnapshot('manifests', {
      service: fixture.service,
      pods: fixture.pods.items.map(wouldBe),
      networkPolicies: { items: fixture.networkPolicies?.items ?? [] },
      namespaceLabels: namespaceLabelsOf(fixture),
    }),
    ...overrides,
  };
}

export function traceOf(name: string, overrides: Partial<Snapshot> = {}, options: AnalyzeOptions = {}): Trace {
  return analyze(snapshotOf(loadFixture(name), overrides), options);
}

// --- reading a trace ---

export const ids = (trace: Trace): string[] => trace.findings.map((finding) => finding.id);

export function findingOf(trace: Trace, id: FindingId): Finding {
  const found = trace.findings.filter((finding) => finding.id === id);
  if (found.length !== 1) throw new Error(`expected one ${id} finding, got ${found.length}: ${ids(trace).join(', ') || '<none>'}`);
  return found[0]!;
}

// The one finding with that id, at that level, whose message says every one of the fragments.
export function expectFinding(trace: Trace, id: FindingId, level: Level, ...fragments: string[]): Finding {
  const finding = findingOf(trace, id);
  assert.equal(finding.level, level, `${id} level`);
  assert.equal(finding.hop, catalogue[id].hop, `${id} hop`);
  for (const fragment of fragments) assert.ok(finding.message.includes(fragment), `${id} message "${finding.message}" should say "${fragment}"`);
  assert.ok(finding.hint.length > 0, `${id} has a hint`);
  return finding;
}

export function expectNoFinding(trace: Trace, id: FindingId): void {
  assert.ok(!ids(trace).includes(id), `${id} should not be raised, got: ${trace.findings.map((f) => `${f.id}: ${f.message}`).join(' | ')}`);
}

export function hopOf<K extends HopKind>(trace: Trace, kind: K): Extract<Hop, { kind: K }> {
  const hop = trace.hops.find((candidate) => candidate.kind === kind);
  if (!hop) throw new Error(`trace has no ${kind} hop`);
  return hop as Extract<Hop, { kind: K }>;
}
