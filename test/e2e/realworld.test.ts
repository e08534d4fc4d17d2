// Real public applications on the real control plane (test/realworld, see each PROVENANCE.md): argo-cd's
// HA install (its CustomResourceDefinitions first, from the Go module of that release) and Istio's bookinfo,
// applied as a user applies them, pods run by KWOK. The live list (`kubectl svc-trace -n NS`) must judge
// every Service without an error or a warning: these applications work.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { ServiceHealthList } from '../../src/analyze/model.js';
import { createNamespace, describeOnCluster, dropRepairWarnings, eventually, kubectl, run, waitForPods } from './support/cluster.js';

const runId = randomBytes(3).toString('hex');
const argoCdModule = 'github.com/argoproj/argo-cd/v3@v3.5.1'; // the release test/realworld/argo-cd-ha comes from

interface Application {
  name: string;
  files: string[];
  crds?: () => string[] | { skipped: string };
}

const applications: Application[] = [
  { name: 'argo-cd-ha', files: ['test/realworld/argo-cd-ha/install.yaml'], crds: argoCdCrds },
  { name: 'bookinfo', files: ['test/realworld/bookinfo/bookinfo.yaml'] },
];

// The CRDs of that argo-cd release, from the Go module proxy (as the cluster's own binaries come).
function argoCdCrds(): string[] | { skipped: string } {
  const download = spawnSync('go', ['mod', 'download', '-json', argoCdModule], { encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' }, timeout: 300_000 });
  if (download.status !== 0) {
    const why = download.error?.message ?? download.stderr.trim().split('\n')[0];
    return { skipped: `argo-cd's CRDs not applied: go mod download ${argoCdModule} failed: ${why}` };
  }
  const directory = path.join((JSON.parse(download.stdout) as { Dir: string }).Dir, 'manifests', 'crds');
  return readdirSync(directory)
    .filter((file) => file.endsWith('-crd.yaml'))
    .map((file) => path.join(directory, file));
}

// The namespaced objects only: the cluster-scoped ones (ClusterRoles and their bindings) would outlive
// the test's namespace, and no Service depends on them.
const clusterScoped = new Set(['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Namespace', 'APIService']);

function namespacedObjects(files: string[]): unknown[] {
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((document) => document.toJS() as { kind?: string } | null)
      .filter((object): object is { kind: string } => object !== null && typeof object.kind === 'string' && !clusterScoped.has(object.kind)),
  );
}

describeOnCluster('real applications on a real control plane', {}, (cluster) => {
  const namespaceOf = (application: Application) => `e2e-${application.name}-${runId}`;
  const notes: string[] = [];

  before(async () => {
    for (const application of applications) {
      const crds = application.crds ? application.crds() : [];
      if ('skipped' in crds) notes.push(crds.skipped);
      else if (crds.length > 0) {
        // Server-side: the ApplicationSet CRD is larger than client-side apply's annotation may be.
        await kubectl(cluster, ['apply', '--server-side', ...crds.flatMap((file) => ['-f', file])]);
        // A CRD just created may have no status conditions yet, which kubectl wait refuses instead of
        // waiting for them: ask again until it waits.
        const wait = ['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((file) => `crd/${crdName(file)}`)];
        const established = await eventually(() => run(cluster, 'kubectl', wait), (result) => result.code === 0, 90);
        if (established.code !== 0) throw new Error(`kubectl ${wait.join(' ')} failed: ${established.stderr.trim()}`);
      }
      const namespace = namespaceOf(application);
      await createNamespace(cluster, namespace);
      await kubectl(cluster, ['apply', '-n', namespace, '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespacedObjects(application.files) }));
    }
    for (const application of applications) await waitForPods(cluster, namespaceOf(application));
    await dropRepairWarnings(cluster, applications.map(namespaceOf));
  });

  after(async () => {
    await Promise.all(applications.map((application) => run(cluster, 'kubectl', ['delete', 'namespace', namespaceOf(application), '--wait=false'])));
  });

  for (const application of applications) {
    test(`${application.name}: the live list judges every Service without an error or a warning`, async (t) => {
      for (const note of notes) t.diagnostic(note);
      const namespace = namespaceOf(application);
      const listed = await run(cluster, 'kubectl', ['svc-trace', '-n', namespace, '-o', 'json']);
      assert.equal(listed.code, 0, listed.stderr);
      const list = JSON.parse(listed.stdout) as ServiceHealthList;
      const problems = list.items.flatMap((trace) =>
        trace.findings.filter((finding) => finding.level !== 'info').map((finding) => `${trace.service.name} ${finding.level} ${finding.id}: ${finding.message}`),
      );
      assert.deepEqual(problems, []);
      assert.ok(list.items.length > 0);
      for (const trace of list.items) {
        t.diagnostic(`${trace.service.name}: ${trace.verdict} ${trace.endpoints ? `${trace.endpoints.ready}/${trace.endpoints.total}` : '-'} ${[...new Set(trace.findings.map((f) => f.id))].join(',')}`);
      }
      const text = await run(cluster, 'kubectl', ['svc-trace', '-n', namespace]);
      assert.equal(text.code, 0, text.stderr);
      assert.doesNotMatch(text.stdout, / (broken|degraded) /);
    });
  }

  test("argo-cd-ha: each redis announce Service reaches its own StatefulSet pod", async () => {
    const namespace = namespaceOf(applications[0]!);
    for (const ordinal of [0, 1, 2]) {
      const traced = await run(cluster, 'kubectl', ['svc-trace', `argocd-redis-ha-announce-${ordinal}`, '-n', namespace, '-o', 'json']);
      assert.equal(traced.code, 0, traced.stderr);
      const trace = JSON.parse(traced.stdout) as { endpoints: { ready: number; total: number }; hops: Array<{ kind: string; endpoints?: Array<{ pod?: string }> }> };
      assert.deepEqual(trace.endpoints, { ready: 1, total: 1 });
      assert.deepEqual(trace.hops.find((hop) => hop.kind === 'endpoint')!.endpoints!.map((e) => e.pod), [`argocd-redis-ha-server-${ordinal}`]);
    }
  });
});

function crdName(file: string): string {
  const crd = parseAllDocuments(readFileSync(file, 'utf8'))[0]!.toJS() as { metadata: { name: string } };
  return crd.metadata.name;
}
