// The CI-native outputs as a pipeline runs them: the built executable, offline on examples/shop and
// against the fake API server (test/support/apiserver.ts). --fail-on's exit codes (the table is
// printed either way), -o sarif (valid SARIF 2.1.0; offline with file and line), -o markdown for
// list, trace and assert, -o mermaid for a trace — and the usage errors, before any request.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeconfigFor, startApiServer, type FakeApiServer } from '../support/apiserver.js';
import { assertValidSarif } from '../unit/render/sarif-validator.js';
import { errorLines, run, sandbox, type Result, type Sandbox } from './run.js';

const example = ['-f', 'examples/shop', '-n', 'shop'];
let box: Sandbox;
const offline = (...args: string[]) => run(args, { home: box.home });

before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

async function against(scenario: string, body: (trace: (...args: string[]) => Promise<Result>, server: FakeApiServer) => Promise<void>): Promise<void> {
  const server = await startApiServer(scenario);
  try {
    const kubeconfig = await box.kubeconfig(kubeconfigFor(server), `ci-${scenario}-${server.url.split(':').at(-1)}.yaml`);
    await body((...args) => run(args, { home: box.home, kubeconfig }), server);
  } finally {
    await server.close();
  }
}

interface Sarif {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string }> } };
    results: Array<{
      ruleId: string;
      level: string;
      locations: Array<{ physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations: Array<{ fullyQualifiedName: string }> }>;
    }>;
  }>;
}

describe('--fail-on (list mode)', () => {
  // examples/shop: cart is broken, nothing is degraded.
  test('offline: none (the default) exits 0; error exits 1; the table is printed either way', async () => {
    const plain = await offline(...example);
    const none = await offline(...example, '--fail-on', 'none');
    const error = await offline(...example, '--fail-on', 'error');
    assert.equal(plain.code, 0);
    assert.equal(none.code, 0);
    assert.equal(error.code, 1);
    assert.equal(error.stdout, plain.stdout, 'the same table');
    assert.equal(none.stdout, plain.stdout);
    assert.equal(error.stderr, '', 'exit 1 is the verdict, not an error message');
  });

  test('offline: a Service set with no broken one passes --fail-on error', async () => {
    const result = await offline('-f', 'examples/shop/api.yaml', '-f', 'examples/shop/redis.yaml', '-n', 'shop', '--fail-on', 'error');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^redis +ClusterIP/m);
  });

  test('live: error fails on a broken Service; warning also on a degraded one; with -o json the list is still written', async () => {
    await against('list', async (trace) => {
      // shop has broken (cart, legacy-db) and degraded (checkout) Services; staging/web is ok.
      const error = await trace('--fail-on', 'error', '-o', 'json');
      assert.equal(error.code, 1, error.stderr);
      assert.equal((JSON.parse(error.stdout) as { items: unknown[] }).items.length, 6);
      assert.equal((await trace('-n', 'staging', '--fail-on', 'warning')).code, 0, 'staging/web is ok');
      const warning = await trace('--fail-on', 'warning');
      assert.equal(warning.code, 1);
      assert.match(warning.stdout, /^checkout .* degraded /m);
    });
  });

  test('usage: a bad level, or --fail-on with a SERVICE, is exit 2 before any request', async () => {
    const bad = await offline(...example, '--fail-on', 'fatal');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /fail-on/);
    const withService = await run(['cart', '--fail-on', 'error', '--kubeconfig', 'no-such-kubeconfig'], { home: box.home });
    assert.equal(withService.code, 2);
    const { error, hint } = errorLines(withService);
    assert.equal(error, '--fail-on is for list mode');
    assert.match(hint, /exits 1 when it is broken/);
  });
});

describe('-o sarif', () => {
  test('offline list: valid SARIF, each result at its manifest file and line, exit code from --fail-on', async () => {
    const result = await offline(...example, '-o', 'sarif', '--fail-on', 'error');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, '');
    const log = JSON.parse(result.stdout) as Sarif;
    assertValidSarif(log, 'svc-trace -f examples/shop -o sarif');
    const cart = log.runs[0]!.results.find((r) => r.ruleId === 'target-port-missing')!;
    assert.equal(cart.level, 'error');
    assert.equal(cart.locations[0]!.physicalLocation!.artifactLocation.uri, 'examples/shop/cart.yaml');
    assert.equal(cart.locations[0]!.physicalLocation!.region.startLine, 26);
    assert.equal(cart.locations[0]!.logicalLocations[0]!.fullyQualifiedName, 'shop/cart');
    assert.ok(log.runs[0]!.results.every((r) => r.locations[0]!.physicalLocation?.artifactLocation.uri.startsWith('examples/shop/')));
  });

  test('offline trace: exit 1 for the broken Service, one rule, one result', async () => {
    const result = await offline('cart', ...example, '-o', 'sarif');
    assert.equal(result.code, 1);
    const log = JSON.parse(result.stdout) as Sarif;
    assertValidSarif(log, 'svc-trace cart -f examples/shop -o sarif');
    assert.deepEqual(log.runs[0]!.tool.driver.rules.map((r) => r.id), ['target-port-missing']);
    assert.equal(log.runs[0]!.results.length, 1);
  });

  test('live list and trace: valid SARIF, the Service as a logical location only', async () => {
    await against('list', async (trace) => {
      const list = await trace('-A', '-o', 'sarif');
      assert.equal(list.code, 0, list.stderr);
      const log = JSON.parse(list.stdout) as Sarif;
      assertValidSarif(log, 'svc-trace -A -o sarif (live)');
      const services = new Set(log.runs[0]!.results.map((r) => r.locations[0]!.logicalLocations[0]!.fullyQualifiedName));
      assert.ok(services.has('shop/cart') && services.has('shop/checkout'), [...services].join(' '));
      assert.ok(log.runs[0]!.results.every((r) => r.locations[0]!.physicalLocation === undefined));
      const one = await trace('checkout', '-o', 'sarif');
      assert.equal(one.code, 0, 'degraded is exit 0');
      assertValidSarif(JSON.parse(one.stdout), 'svc-trace checkout -o sarif (live)');
    });
  });
});

describe('-o markdown', () => {
  test('offline list: a heading, a table, the errors with hints; no ANSI even with --color always', async () => {
    const result = await offline(...example, '-o', 'markdown', '--color', 'always');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^### svc-trace: 5 Services in namespace shop \(from manifests\)\n/);
    assert.match(result.stdout, /^\| cart \| ClusterIP \| \\<unassigned\\> \| .* \| ❌ broken \| `target-port-missing` \| - \|$/m);
    assert.match(result.stdout, /^ {2}hint: name a container port "http"/m);
    assert.doesNotMatch(result.stdout, /\u001b\[/);
  });

  test('offline trace: the hop chain and findings; exit 1 for broken', async () => {
    const result = await offline('cart', ...example, '-o', 'markdown');
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^### svc-trace: shop\/cart is broken ❌\n/);
    assert.match(result.stdout, /^\| ❌ fail \| backend \| /m);
    assert.match(result.stdout, /^- ❌ `target-port-missing` \(error\)/m);
    assert.match(result.stdout, /^```mermaid\n/m);
  });

  test('live list and trace', async () => {
    await against('list', async (trace) => {
      const list = await trace('-o', 'markdown');
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /^### svc-trace: 6 Services in namespace shop\n/);
      assert.match(list.stdout, /^\| checkout \| LoadBalancer \| 10\.96\.40\.21 \| .* \| 6\/7 \| ⚠️ degraded \|/m);
      const one = await trace('checkout', '-o', 'markdown');
      assert.equal(one.code, 0);
      assert.match(one.stdout, /^\| \*\*Ready\*\* \| 6\/7 endpoints \|$/m);
    });
  });

  test('assert: the assertions as a table; exit 1 when one fails', async () => {
    await against('not-ready', async (trace) => {
      const result = await trace('assert', 'web', '--all-ready', '-o', 'markdown');
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /^### svc-trace assert: ❌ FAILED: 1 of 1 Service did not meet the assertions \(checked once after/);
      assert.match(result.stdout, /^\| shop\/web \| ⚠️ degraded \| 2\/3 \| `all-ready` \| ❌ fail \| 1 of 3 endpoints not ready<br>not ready: web-.* readiness probe of web failing \|$/m);
    });
    await against('healthy', async (trace) => {
      const result = await trace('assert', 'web', '-o', 'markdown');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^### svc-trace assert: ✅ PASSED/);
    });
  });
});

describe('-o mermaid', () => {
  test('offline trace: a flowchart, the failing edge labelled with the finding id; exit 1 for broken', async () => {
    const result = await offline('cart', ...example, '-o', 'mermaid');
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^---\ntitle: "shop\/cart: broken"\n---\nflowchart LR\n/);
    assert.match(result.stdout, /^ {2}hop_endpoint -- "target-port-missing" --> pod_1$/m);
  });

  test('live trace', async () => {
    await against('healthy', async (trace) => {
      const result = await trace('web', '-o', 'mermaid');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^ {2}class hop_client,hop_dns,hop_frontend,hop_routing,hop_endpoint,pod_1,pod_2 ok$/m);
    });
  });

  test('an Ingress trace: -o mermaid, -o sarif and -o markdown are exit 2 with a hint, not another format; so is --fail-on', async () => {
    for (const format of ['mermaid', 'sarif', 'markdown']) {
      const result = await offline('ingress/shop', ...example, '-o', format);
      assert.equal(result.code, 2, `${format}: ${result.stderr}`);
      const { error, hint } = errorLines(result);
      assert.equal(error, `-o ${format} is not available for ingress/shop`);
      assert.match(hint, /use one of: text, tree, wide, json, yaml/);
    }
    const failOn = await offline('ingress/shop', ...example, '--fail-on', 'error');
    assert.equal(failOn.code, 2);
    assert.equal(errorLines(failOn).error, '--fail-on is for list mode');
  });

  test('list mode: exit 2 with a hint, before any request', async () => {
    const result = await run(['-o', 'mermaid', '--kubeconfig', 'no-such-kubeconfig'], { home: box.home });
    assert.equal(result.code, 2);
    const { error, hint } = errorLines(result);
    assert.equal(error, '-o mermaid draws the hop chain of one Service');
    assert.match(hint, /-o markdown or -o sarif/);
  });
});
