import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { loadManifests } from '../../../src/cluster/manifests.js';
import { SvcTraceError } from '../../../src/errors.js';
import type { KubeObject } from '../../../src/kube/types.js';

const fixtures = path.resolve('test/fixtures/manifests');
const fixture = (name: string) => path.join(fixtures, name);
const identities = (objects: KubeObject[]) => objects.map((object) => `${object.kind}/${object.metadata.name}`);
const noStdin = () => Readable.from([]);

// Rejects with a usage error (exit 2) whose message and hint are checked by the caller.
async function usageFailure(paths: string[], stdin: NodeJS.ReadableStream = noStdin()): Promise<SvcTraceError> {
  try {
    await loadManifests(paths, stdin);
  } catch (error) {
    assert.ok(error instanceof SvcTraceError, `expected a SvcTraceError, got ${String(error)}`);
    assert.equal(error.exitCode, 2);
    assert.ok(error.hint.length > 0, 'an error says what to fix');
    assert.ok(!error.message.includes('\n'), 'the message is one line');
    return error;
  }
  assert.fail(`loading ${paths.join(', ')} should have failed`);
}

describe('loadManifests: what it reads', () => {
  test('a multi-document file gives its objects in order, skipping empty documents and comments', async () => {
    const objects = await loadManifests([fixture('shop.yaml')], noStdin());
    assert.deepEqual(identities(objects), ['ConfigMap/storefront-settings', 'Deployment/storefront', 'Service/storefront']);
    const deployment = objects[1] as KubeObject & { spec: { template: { spec: { containers: Array<{ ports: unknown }> } } } };
    assert.deepEqual(deployment.spec.template.spec.containers[0].ports, [
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9090 },
    ]);
  });

  test('a directory is walked recursively in name order, only .yaml/.yml/.json, hidden folders skipped', async () => {
    const objects = await loadManifests([fixture('tree')], noStdin());
    // README.md and .github/workflows/ci.yml are not read; unrelated kinds come back as they are.
    assert.deepEqual(identities(objects), [
      'ConfigMap/orders-config',
      'Deployment/orders',
      'Service/orders',
      'CustomResourceDefinition/widgets.example.com',
      'Widget/blue-widget',
      'Service/hello',
      'NetworkPolicy/orders-allow-frontend',
      'Secret/orders-db',
      'Namespace/shop',
    ]);
    const policy = objects.find((object) => object.kind === 'NetworkPolicy')!;
    assert.equal(policy.metadata.namespace, 'shop', 'the JSON file (tab-indented) is read too');
  });

  test('the same directory gives the same order every time', async () => {
    const first = identities(await loadManifests([fixture('tree')], noStdin()));
    const second = identities(await loadManifests([fixture('tree')], noStdin()));
    assert.deepEqual(second, first);
  });

  test('a file given by name is read whatever its extension (helm template output)', async () => {
    const objects = await loadManifests([fixture('helm-template.out')], noStdin());
    assert.deepEqual(identities(objects), ['Service/queue', 'Deployment/queue']);
  });

  test('a JSON List stands for its items', async () => {
    const objects = await loadManifests([fixture('payments-list.json')], noStdin());
    assert.deepEqual(identities(objects), ['Service/payments', 'Deployment/payments']);
    assert.ok(objects.every((object) => object.metadata.namespace === 'billing'));
  });

  test('a `kubectl get all -o yaml` dump keeps its server fields', async () => {
    const objects = await loadManifests([fixture('get-all-dump.yaml')], noStdin());
    assert.deepEqual(identities(objects), [
      'Pod/web-7c9d8b5f4d-x2kqp',
      'Service/web',
      'Deployment/web',
      'ReplicaSet/web-7c9d8b5f4d',
      'ReplicaSet/web-5f6d7c8b9a',
    ]);
    const pod = objects[0] as KubeObject & { status: { podIP: string; phase: string } };
    assert.equal(pod.status.podIP, '10.244.1.7');
    assert.equal(pod.metadata.resourceVersion, '48213');
    const deployment = objects[2] as KubeObject & { metadata: { managedFields: unknown[] } };
    assert.equal(deployment.metadata.managedFields.length, 1);
  });

  test('items of a typed list from the raw API get their kind from the list', async () => {
    const objects = await loadManifests([fixture('service-list-raw.json')], noStdin());
    assert.deepEqual(identities(objects), ['Service/metrics']);
    assert.equal(objects[0].apiVersion, 'v1');
  });

  test('`-` reads stdin, arriving in several chunks', async () => {
    const text = await readFile(fixture('shop.yaml'), 'utf8');
    const middle = Math.floor(text.length / 2);
    const objects = await loadManifests(['-'], Readable.from([Buffer.from(text.slice(0, middle)), Buffer.from(text.slice(middle))]));
    assert.deepEqual(identities(objects), ['ConfigMap/storefront-settings', 'Deployment/storefront', 'Service/storefront']);
  });

  test('several -f are read in the order given', async () => {
    const stdin = Readable.from(['apiVersion: v1\nkind: Service\nmetadata:\n  name: from-stdin\nspec:\n  ports:\n  - port: 80\n']);
    const objects = await loadManifests([fixture('payments-list.json'), '-', fixture('helm-template.out')], stdin);
    assert.deepEqual(identities(objects), [
      'Service/payments',
      'Deployment/payments',
      'Service/from-stdin',
      'Service/queue',
      'Deployment/queue',
    ]);
  });

  test('an object with only generateName is named by it, as `kubectl create` would start', async () => {
    const stdin = Readable.from(['apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: probe-\nspec:\n  containers:\n  - name: c\n    image: busybox\n']);
    const objects = await loadManifests(['-'], stdin);
    assert.deepEqual(identities(objects), ['Pod/probe-']);
  });

  test('an empty file gives no objects', async () => {
    assert.deepEqual(await loadManifests(['-'], Readable.from(['# nothing yet\n---\n'])), []);
  });
});

describe('loadManifests: bad input is a usage error naming the file and line', () => {
  test('invalid YAML names the line to fix', async () => {
    const file = fixture('errors/invalid-indentation.yaml');
    const error = await usageFailure([file]);
    assert.equal(error.message, `${file}:10: invalid YAML: a key is not where the indentation puts it (check this line and the one above)`);
    assert.match(error.hint, /indent/);
  });

  test('a document without kind is named by its number and line', async () => {
    const file = fixture('errors/no-kind.yaml');
    const error = await usageFailure([file]);
    assert.equal(error.message, `${file}:23: document 3 has no kind`);
    assert.match(error.hint, /kind: Service/);
  });

  test('an item of a List without kind is named by its index', async () => {
    const file = fixture('errors/list-item-without-kind.json');
    const error = await usageFailure([file]);
    assert.equal(error.message, `${file}:6: items[1] of document 1 has no kind`);
  });

  test('a bare string document is not an object', async () => {
    const file = fixture('errors/stray-line.yaml');
    const error = await usageFailure([file]);
    assert.equal(error.message, `${file}:9: document 2 is a string, not a Kubernetes object`);
  });

  test('a missing file is named as the user wrote it', async () => {
    const error = await usageFailure([fixture('shop.yaml'), 'test/fixtures/manifests/no-such-file.yaml']);
    assert.equal(error.message, 'no such file or directory: test/fixtures/manifests/no-such-file.yaml');
    assert.match(error.hint, /-f/);
  });

  test('stdin errors are named stdin', async () => {
    const error = await usageFailure(['-'], Readable.from(['apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels: {app: a\n']));
    assert.match(error.message, /^stdin:\d+: invalid YAML: /);
  });

  test('a syntax error inside a Secret does not print the secret', async () => {
    const file = fixture('errors/broken-secret.yaml');
    const error = await usageFailure([file]);
    assert.match(error.message, new RegExp(`^${escapeRegExp(file)}:6: invalid YAML: `));
    assert.ok(!`${error.message} ${error.hint}`.includes('hunter2'), 'the value must not be printed');
  });

  test('a label that YAML reads as a number is refused, with the quoting that fixes it', async () => {
    const file = fixture('errors/numeric-label.yaml');
    const error = await usageFailure([file]);
    assert.equal(error.message, `${file}:13: Deployment "web": spec.template.metadata.labels.version must be a string, not a number`);
    assert.equal(error.hint, 'Quote the value (version: "1.10"); Kubernetes label values are strings.');
  });

  test('an object without a name is refused', async () => {
    const error = await usageFailure(['-'], Readable.from(['apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: web\n']));
    assert.equal(error.message, 'stdin:1: document 1 (Service) has no metadata.name');
  });

  test('a directory without manifests is refused, and so is reading stdin twice', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'svc-trace-manifests-'));
    try {
      await writeFile(path.join(empty, 'notes.txt'), 'not a manifest\n');
      const error = await usageFailure([empty]);
      assert.equal(error.message, `${empty} contains no .yaml, .yml or .json file`);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    const twice = await usageFailure(['-', '-']);
    assert.equal(twice.message, '-f - is given more than once');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
