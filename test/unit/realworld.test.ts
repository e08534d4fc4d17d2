// Real public applications (test/realworld/*, each with its PROVENANCE.md), traced offline in list mode
// as a user would run `kubectl svc-trace -A -f DIR`: no Service of a healthy application may be judged
// with an error or a warning, since a cluster running it would not confirm one. What remains is info,
// and it is listed here Service by Service, so that a change in what the tool says about them shows.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Readable } from 'node:stream';
import { analyze } from '../../src/analyze/trace.js';
import { loadManifests } from '../../src/cluster/manifests.js';
import { offlineServices } from '../../src/cluster/offline.js';

interface Application {
  directory: string;
  namespace: string; // where `kubectl apply -n` puts the objects that name none
  infos: Record<string, string[]>; // namespace/name → the info ids it raises
}

const applications: Application[] = [
  {
    directory: 'argo-cd-ha',
    namespace: 'argocd',
    infos: {
      'argocd/argocd-applicationset-controller': [],
      'argocd/argocd-dex-server': ['network-policy-restricts'],
      'argocd/argocd-metrics': [],
      'argocd/argocd-notifications-controller-metrics': ['target-port-not-declared'],
      'argocd/argocd-redis-ha': ['headless-service', 'network-policy-restricts'],
      'argocd/argocd-redis-ha-announce-0': ['publish-not-ready-addresses', 'network-policy-restricts'],
      'argocd/argocd-redis-ha-announce-1': ['publish-not-ready-addresses', 'network-policy-restricts'],
      'argocd/argocd-redis-ha-announce-2': ['publish-not-ready-addresses', 'network-policy-restricts'],
      'argocd/argocd-redis-ha-haproxy': ['network-policy-restricts'],
      'argocd/argocd-repo-server': ['network-policy-restricts'],
      'argocd/argocd-server': [],
      'argocd/argocd-server-metrics': [],
    },
  },
  {
    directory: 'kube-prometheus',
    namespace: 'default',
    infos: {
      'monitoring/alertmanager-main': ['session-affinity', 'pods-from-custom-resource'],
      'monitoring/blackbox-exporter': ['network-policy-restricts'],
      'monitoring/grafana': ['network-policy-restricts'],
      'monitoring/kube-state-metrics': ['headless-service', 'network-policy-restricts'],
      'monitoring/node-exporter': ['headless-service'],
      'monitoring/prometheus-adapter': [],
      'monitoring/prometheus-k8s': ['session-affinity', 'pods-from-custom-resource'],
      'monitoring/prometheus-operator': ['headless-service', 'network-policy-restricts'],
    },
  },
  {
    directory: 'bookinfo',
    namespace: 'default',
    infos: {
      'default/details': [],
      'default/productpage': [],
      'default/ratings': [],
      'default/reviews': ['selector-matches-multiple-workloads'],
    },
  },
  {
    directory: 'microservices-demo',
    namespace: 'default',
    infos: Object.fromEntries(
      ['adservice', 'cartservice', 'checkoutservice', 'currencyservice', 'emailservice', 'frontend', 'paymentservice', 'productcatalogservice', 'recommendationservice', 'redis-cart', 'shippingservice']
        .map((name) => [`default/${name}`, []] as [string, string[]])
        .concat([['default/frontend-external', ['nodeport-exposed']]]),
    ),
  },
  {
    directory: 'ingress-nginx',
    namespace: 'default',
    infos: {
      'ingress-nginx/ingress-nginx-controller': ['nodeport-exposed'],
      'ingress-nginx/ingress-nginx-controller-admission': [],
    },
  },
  {
    directory: 'kube-state-metrics-autosharding',
    namespace: 'default',
    infos: { 'kube-system/kube-state-metrics': ['headless-service'] },
  },
  {
    directory: 'opentelemetry-demo',
    namespace: 'otel-demo',
    infos: {
      ...Object.fromEntries(
        ['ad', 'cart', 'checkout', 'currency', 'email', 'flagd', 'frontend', 'frontend-proxy', 'grafana', 'image-provider', 'kafka', 'load-generator', 'opensearch', 'otel-collector', 'payment', 'product-catalog', 'prometheus', 'quote', 'recommendation', 'shipping', 'valkey-cart'].map(
          (name) => [`otel-demo/${name}`, []] as [string, string[]],
        ),
      ),
      'otel-demo/jaeger-agent': ['headless-service'],
      'otel-demo/jaeger-collector': ['headless-service', 'target-port-not-declared'],
      'otel-demo/jaeger-query': ['headless-service'],
      'otel-demo/opensearch-headless': ['headless-service', 'publish-not-ready-addresses'],
    },
  },
  {
    directory: 'guestbook',
    namespace: 'default',
    infos: { 'default/frontend': ['nodeport-exposed'], 'default/redis-master': [], 'default/redis-replica': [] },
  },
];

async function traces(application: Application) {
  const objects = await loadManifests([path.resolve('test/realworld', application.directory)], Readable.from([]));
  return offlineServices(objects, { allNamespaces: true, defaultNamespace: application.namespace }).map((snapshot) => analyze(snapshot));
}

describe('real applications, offline', () => {
  for (const application of applications) {
    test(`${application.directory}: every Service without an error or a warning; the infos that remain`, async () => {
      const traced = await traces(application);
      const problems = traced.flatMap((trace) =>
        trace.findings.filter((finding) => finding.level !== 'info').map((finding) => `${trace.service.namespace}/${trace.service.name} ${finding.level} ${finding.id}: ${finding.message}`),
      );
      assert.deepEqual(problems, []);
      assert.ok(traced.every((trace) => trace.verdict === 'ok'));
      const infos = Object.fromEntries(traced.map((trace) => [`${trace.service.namespace}/${trace.service.name}`, [...new Set(trace.findings.map((finding) => finding.id))]]));
      assert.deepEqual(infos, application.infos);
    });
  }

  test('the per-pod Services of a StatefulSet select their ordinal (argo-cd HA redis announce Services)', async () => {
    const traced = await traces(applications[0]!);
    const announce = traced.filter((trace) => trace.service.name.startsWith('argocd-redis-ha-announce-'));
    assert.deepEqual(
      announce.map((trace) => trace.hops.find((hop) => hop.kind === 'backend')!.status === 'ok' && trace.service.selector?.['statefulset.kubernetes.io/pod-name']),
      ['argocd-redis-ha-server-0', 'argocd-redis-ha-server-1', 'argocd-redis-ha-server-2'],
    );
  });
});
