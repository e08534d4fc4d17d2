// Every fixture cluster state, traced as a user would trace it, with exactly the findings it must
// raise — and together they raise every id of the catalogue, so a new id cannot ship untested.
// The other *.test.ts files of this folder check each finding's words and its near misses.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { catalogue, type FindingId } from '../../../src/analyze/catalogue.js';
import type { Verdict } from '../../../src/analyze/model.js';
import { analyze, type AnalyzeOptions } from '../../../src/analyze/trace.js';
import type { Snapshot } from '../../../src/snapshot.js';
import { entryCases } from './entry-cases.js';
import { clusterDnsOf, kubeProxyOf, loadKubeSystem, setNotReady } from '../../support/kube-system.js';
import { externalClient, loadFixture, podClient, snapshotOf, type ClusterFixture } from '../../support/snapshot.js';

// kube-system with its CoreDNS endpoints not ready, or the kube-proxy pod of worker-1 not ready.
function dnsDown() {
  const system = loadKubeSystem();
  for (const endpoint of system.dnsEndpointSlices.items[0]!.endpoints!) endpoint.conditions = { ready: false, serving: false, terminating: false };
  return clusterDnsOf(system);
}
function proxyDownOnWorker1() {
  const system = loadKubeSystem();
  setNotReady(system.pods.items.find((pod) => pod.metadata.name === 'kube-proxy-7hq2x')!);
  return kubeProxyOf(system);
}

interface Case {
  fixture: string;
  as?: string; // what differs from the default trace (from a pod of the namespace, every port)
  snapshot?: (fixture: ClusterFixture) => Partial<Snapshot>;
  options?: AnalyzeOptions;
  verdict: Verdict;
  findings: FindingId[]; // in the order of the trace: errors, warnings, infos
}

const cases: Case[] = [
  { fixture: 'healthy-web', verdict: 'ok', findings: [] },
  { fixture: 'single-replica', verdict: 'ok', findings: ['single-endpoint'] },
  { fixture: 'rollout-terminating', verdict: 'ok', findings: ['endpoints-terminating'] },
  { fixture: 'readiness-failing', verdict: 'degraded', findings: ['some-endpoints-not-ready', 'single-endpoint'] },
  { fixture: 'no-ready-endpoints', verdict: 'broken', findings: ['no-ready-endpoints'] },
  { fixture: 'two-deployments', verdict: 'degraded', findings: ['selector-matches-multiple-workloads'] },
  { fixture: 'selector-typo', verdict: 'broken', findings: ['selector-matches-no-pods'] },
  { fixture: 'external-database', verdict: 'ok', findings: [] },
  { fixture: 'selectorless-no-endpoints', verdict: 'broken', findings: ['no-selector-no-endpoints'] },
  { fixture: 'named-port-missing', verdict: 'broken', findings: ['target-port-missing'] },
  { fixture: 'named-port-partial-rollout', verdict: 'degraded', findings: ['target-port-missing'] },
  { fixture: 'named-port-on-second-container', verdict: 'ok', findings: [] },
  { fixture: 'named-port-on-native-sidecar', verdict: 'ok', findings: [] },
  { fixture: 'target-port-undeclared', verdict: 'ok', findings: ['target-port-not-declared'] },
  { fixture: 'dns-udp-port-declared-tcp', verdict: 'broken', findings: ['protocol-mismatch'] },
  { fixture: 'dns-udp-and-tcp', verdict: 'ok', findings: [] },
  {
    fixture: 'healthy-web',
    as: '--probe --port http: one pod refuses, one does not answer',
    snapshot: () => ({
      probe: {
        timeoutMs: 3000,
        limit: 10,
        notProbed: [],
        skipped: [],
        probes: [
          { pod: 'web-7d9c5b6f4d-7b2nj', servicePort: 'http', port: 8080, outcome: 'refused', message: 'error forwarding port 8080 to pod web-7d9c5b6f4d-7b2nj, uid : dial tcp4 127.0.0.1:8080: connect: connection refused' },
          { pod: 'web-7d9c5b6f4d-nfh7v', servicePort: 'http', port: 8080, outcome: 'timeout', message: 'no answer within 3000ms' },
        ],
      },
    }),
    options: { port: 'http' },
    verdict: 'degraded',
    findings: ['port-not-listening', 'port-probe-timeout'],
  },
  { fixture: 'headless-statefulset', verdict: 'degraded', findings: ['some-endpoints-not-ready', 'headless-service'] },
  { fixture: 'headless-publish-not-ready', verdict: 'ok', findings: ['headless-service', 'publish-not-ready-addresses'] },
  {
    fixture: 'externalname',
    as: 'the target resolves',
    snapshot: () => ({ externalName: { addresses: ['192.0.2.80'] } }),
    verdict: 'ok',
    findings: [],
  },
  {
    fixture: 'externalname',
    as: 'an outside target that does not resolve from the workstation',
    snapshot: () => ({ externalName: { error: 'ENOTFOUND' } }),
    verdict: 'degraded',
    findings: ['externalname-unresolvable'],
  },
  {
    fixture: 'externalname',
    as: 'a cluster name whose Service does not exist',
    snapshot: () => ({ externalName: { clusterService: { namespace: 'shop', name: 'payments' }, found: false } }),
    verdict: 'broken',
    findings: ['externalname-unresolvable'],
  },
  {
    fixture: 'externalname',
    as: 'a cluster name whose Service has no ready endpoint',
    snapshot: () => ({ externalName: { clusterService: { namespace: 'shop', name: 'payments' }, found: true, readyEndpoints: 0 } }),
    verdict: 'broken',
    findings: ['externalname-target-no-endpoints'],
  },
  {
    fixture: 'externalname',
    as: 'a cluster name whose Service has ready endpoints',
    snapshot: () => ({ externalName: { clusterService: { namespace: 'shop', name: 'payments' }, found: true, readyEndpoints: 2 } }),
    verdict: 'ok',
    findings: [],
  },
  { fixture: 'loadbalancer-pending', verdict: 'broken', findings: ['loadbalancer-pending', 'nodeport-exposed'] },
  { fixture: 'loadbalancer-class-pending', verdict: 'degraded', findings: ['loadbalancer-class-unhandled', 'nodeport-exposed'] },
  { fixture: 'loadbalancer-hostname', verdict: 'ok', findings: ['loadbalancer-source-ranges', 'nodeport-exposed'] },
  { fixture: 'loadbalancer-local-gaps', verdict: 'degraded', findings: ['external-traffic-local-gaps', 'nodeport-exposed'] },
  { fixture: 'daemonset-nodeport-local', verdict: 'ok', findings: ['nodeport-exposed'] },
  { fixture: 'internal-traffic-local', verdict: 'degraded', findings: ['internal-traffic-local-gaps'] },
  { fixture: 'nodeport', verdict: 'ok', findings: ['nodeport-exposed'] },
  { fixture: 'nodeport', as: '--from external', snapshot: () => ({ client: externalClient }), verdict: 'ok', findings: ['nodeport-exposed'] },
  { fixture: 'healthy-web', as: '--from external', snapshot: () => ({ client: externalClient }), verdict: 'broken', findings: ['not-reachable-externally'] },
  { fixture: 'healthy-web', as: '--port https', options: { port: 'https' }, verdict: 'broken', findings: ['port-not-found'] },
  { fixture: 'client-ip-affinity', verdict: 'ok', findings: ['session-affinity'] },
  { fixture: 'topology-auto-no-hints', verdict: 'degraded', findings: ['topology-hints-missing', 'warning-events'] },
  { fixture: 'topology-auto-hints', verdict: 'ok', findings: [] },
  { fixture: 'dual-stack', verdict: 'ok', findings: [] },
  { fixture: 'dual-stack-ipv4-only-pods', verdict: 'degraded', findings: ['ip-family-without-endpoints'] },
  { fixture: 'service-proxy-name', verdict: 'degraded', findings: ['service-proxy-name'] },
  { fixture: 'network-policy-allow-frontend', verdict: 'ok', findings: ['network-policy-restricts'] },
  {
    fixture: 'network-policy-allow-frontend',
    as: '--from the report-batch pod',
    snapshot: (fixture) => ({ client: podClient(fixture, 'report-batch-7f5b9c6d8e-c8fw6') }),
    verdict: 'broken',
    findings: ['network-policy-blocks'],
  },
  {
    fixture: 'network-policy-allow-frontend',
    as: '--from the frontend pod',
    snapshot: (fixture) => ({ client: podClient(fixture, 'frontend-6c8f7b9d5c-b9vll') }),
    verdict: 'ok',
    findings: [],
  },
  { fixture: 'network-policy-default-deny', verdict: 'broken', findings: ['network-policy-blocks'] },
  {
    fixture: 'healthy-web',
    as: 'kube-dns and kube-proxy healthy',
    snapshot: () => ({ clusterDns: clusterDnsOf(loadKubeSystem()), kubeProxy: kubeProxyOf(loadKubeSystem()) }),
    verdict: 'ok',
    findings: [],
  },
  { fixture: 'healthy-web', as: 'no CoreDNS endpoint ready', snapshot: () => ({ clusterDns: dnsDown() }), verdict: 'broken', findings: ['cluster-dns-unavailable'] },
  { fixture: 'healthy-web', as: 'kube-proxy not ready on worker-1', snapshot: () => ({ kubeProxy: proxyDownOnWorker1() }), verdict: 'degraded', findings: ['kube-proxy-not-ready'] },
  {
    fixture: 'network-policy-allow-frontend',
    as: '--from the frontend pod, whose egress admits only the backend',
    snapshot: (fixture) => ({
      client: podClient(fixture, 'frontend-6c8f7b9d5c-b9vll'),
      clusterDns: clusterDnsOf(loadKubeSystem()),
      networkPolicies: {
        items: [
          ...fixture.networkPolicies!.items,
          {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'NetworkPolicy',
            metadata: { name: 'frontend-egress', namespace: 'shop', uid: 'uid-frontend-egress', resourceVersion: '50001' },
            spec: { podSelector: { matchLabels: { app: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }] },
          },
        ],
      },
    }),
    verdict: 'broken',
    findings: ['dns-egress-blocked'],
  },
  { fixture: 'endpointslice-update-failed', verdict: 'degraded', findings: ['warning-events'] },
  { fixture: 'versions-of-one-app', verdict: 'ok', findings: ['selector-matches-multiple-workloads'] },
  { fixture: 'job-succeeded-pods', verdict: 'ok', findings: [] },
  { fixture: 'last-pod-terminating', verdict: 'degraded', findings: ['serving-terminating-fallback'] },
  { fixture: 'selectorless-stale-endpoint', verdict: 'broken', findings: ['stale-endpoint'] },
  { fixture: 'selectorless-port-name-mismatch', verdict: 'broken', findings: ['endpoint-port-name-mismatch'] },
  {
    fixture: 'internal-traffic-local',
    as: '--from a pod on the node without a backend',
    snapshot: (fixture) => ({ client: podClient(fixture, 'frontend-6c8f7b9d5c-4gbq8') }),
    verdict: 'broken',
    findings: ['internal-traffic-local-gaps'],
  },
  {
    fixture: 'selector-typo',
    as: 'offline, the files hold a custom resource whose operator makes the pods',
    snapshot: () => ({ source: 'manifests', podsFromCustomResources: [{ kind: 'Prometheus', name: 'k8s', namespace: 'shop', via: 'labels' }] }),
    verdict: 'ok',
    findings: ['pods-from-custom-resource'],
  },
];

function traceOfCase(c: Case) {
  const fixture = loadFixture(c.fixture);
  return analyze(snapshotOf(fixture, c.snapshot?.(fixture) ?? {}), c.options);
}

describe('every fixture raises exactly its findings', () => {
  for (const c of cases) {
    test(`${c.fixture}${c.as ? ` (${c.as})` : ''}: ${c.verdict}, ${c.findings.join(', ') || 'no finding'}`, () => {
      const trace = traceOfCase(c);
      assert.deepEqual(
        trace.findings.map((finding) => finding.id),
        c.findings,
      );
      assert.equal(trace.verdict, c.verdict);
    });
  }
});

describe('the catalogue', () => {
  test('every id is raised by one of the fixtures above', () => {
    const raised = new Set([...cases.flatMap((c) => c.findings), ...entryCases.flatMap((c) => c.findings)]);
    const untested = Object.keys(catalogue).filter((id) => !raised.has(id as FindingId));
    assert.deepEqual(untested, []);
  });

  test('every raised finding carries its catalogue level (or the documented warning variant), hop, words and the Service', () => {
    // Documented variants: warnings when only some backends are affected, or when the answer is less sure
    // (an outside name resolved on the workstation, only TCP 53 blocked); errors for the one --from client; info for versions of one app.
    const variable = new Map<FindingId, string[]>([
      ['target-port-missing', ['error', 'warning']],
      ['network-policy-blocks', ['error', 'warning']],
      ['port-not-listening', ['error', 'warning']],
      ['dns-egress-blocked', ['error', 'warning']],
      ['stale-endpoint', ['error', 'warning']],
      ['endpoint-port-name-mismatch', ['error', 'warning']],
      ['externalname-unresolvable', ['error', 'warning']],
      ['internal-traffic-local-gaps', ['warning', 'error']],
      ['selector-matches-multiple-workloads', ['warning', 'info']],
    ]);
    for (const c of cases) {
      const trace = traceOfCase(c);
      for (const finding of trace.findings) {
        const entry = catalogue[finding.id];
        assert.equal(finding.hop, entry.hop, `${finding.id} hop`);
        if (variable.has(finding.id)) assert.ok(variable.get(finding.id)!.includes(finding.level), `${finding.id} level`);
        else assert.equal(finding.level, entry.level, `${finding.id} level in ${c.fixture}`);
        assert.ok(finding.message.length > 0 && !finding.message.includes('undefined'), `${finding.id} message: ${finding.message}`);
        assert.ok(finding.hint.length > 0 && !finding.hint.includes('undefined'), `${finding.id} hint: ${finding.hint}`);
        assert.deepEqual(finding.objects[0], { kind: 'Service', name: trace.service.name, namespace: trace.service.namespace });
      }
    }
  });

  test('findings come errors first, then warnings, then infos', () => {
    const rank = { error: 0, warning: 1, info: 2 };
    for (const c of cases) {
      const levels = traceOfCase(c).findings.map((finding) => rank[finding.level]);
      assert.deepEqual(levels, [...levels].sort((a, b) => a - b), c.fixture);
    }
  });
});
