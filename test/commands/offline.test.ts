// The built executables on examples/shop (offline mode, -f), as a user runs them: what lands on
// stdout and stderr, and the exit code. No cluster, no kubeconfig.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { assertValid } from '../unit/render/schema-validator.js';
import { errorLines, run, sandbox, type Sandbox } from './run.js';

const example = ['-f', 'examples/shop', '-n', 'shop'];
let box: Sandbox;
const trace = (...args: string[]) => run(args, { home: box.home });
const explain = (...args: string[]) => run(args, { home: box.home, executable: 'explain' });

before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

describe('kubectl svc-trace -f examples/shop: list mode', () => {
  test('a health table of every Service in the namespace, exit 0, nothing on stderr', async () => {
    const result = await trace(...example);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME +TYPE +CLUSTER-IP +EXTERNAL +PORTS +READY +VERDICT +FINDING +ENTRY$/);
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(/\s+/)[0]),
      ['api', 'cart', 'frontend', 'frontend-nodeport', 'redis'],
    );
    assert.match(lines.find((line) => line.startsWith('cart '))!, / broken +target-port-missing +-$/);
  });

  test('-o json is a ServiceHealthList that validates against the published schema', async () => {
    const result = await trace(...example, '-o', 'json');
    assert.equal(result.code, 0);
    const list = JSON.parse(result.stdout) as { kind: string; items: Array<{ service: { name: string }; source: string }> };
    assertValid('ServiceHealthList', list, 'kubectl svc-trace -f examples/shop -o json');
    assert.equal(list.items.length, 5);
    assert.ok(list.items.every((item) => item.source === 'manifests'));
  });

  test('-A: a NAMESPACE column', async () => {
    const result = await trace('-f', 'examples/shop', '-A');
    assert.equal(result.code, 0);
    assert.match(result.stdout.split('\n')[0]!, /^NAMESPACE +NAME +TYPE/);
    assert.match(result.stdout, /^shop +cart +ClusterIP/m);
  });
});

describe('kubectl svc-trace SERVICE -f examples/shop', () => {
  test('cart is broken: its targetPort names no container port; exit 1, plain text when not on a terminal', async () => {
    const result = await trace('cart', ...example);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^Service: {2}shop\/cart \(from manifests\)\n/);
    assert.match(result.stdout, /^Verdict: {2}broken \(1 error\)$/m);
    assert.match(result.stdout, /^ {2}error {3}target-port-missing: targetPort "http" of port http is not a container port of any selected pod$/m);
    assert.doesNotMatch(result.stdout, /\u001b\[/, 'no colour into a pipe');
  });

  test('cart -o json validates against the schema and names the finding', async () => {
    const result = await trace('cart', ...example, '-o', 'json');
    assert.equal(result.code, 1);
    const trace_ = JSON.parse(result.stdout) as { verdict: string; findings: Array<{ id: string; level: string }> };
    assertValid('Trace', trace_, 'kubectl svc-trace cart -f examples/shop -o json');
    assert.equal(trace_.verdict, 'broken');
    assert.deepEqual(trace_.findings.map((f) => [f.id, f.level]), [['target-port-missing', 'error']]);
  });

  test('frontend holds: exit 0', async () => {
    const result = await trace('frontend', ...example);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Verdict: {2}ok$/m);
  });

  test('svc/NAME and service/NAME name the same Service', async () => {
    const plain = await trace('frontend', ...example, '-o', 'json');
    for (const spelled of ['svc/frontend', 'service/frontend']) {
      const result = await trace(spelled, ...example, '-o', 'json');
      assert.equal(result.code, 0);
      assert.equal(result.stdout, plain.stdout, spelled);
    }
  });

  test('-o yaml reads back to the same object as -o json', async () => {
    const [yaml, json] = await Promise.all([trace('api', ...example, '-o', 'yaml'), trace('api', ...example, '-o', 'json')]);
    assert.equal(yaml.code, 0);
    assert.ok(yaml.stdout.startsWith('apiVersion: svc-trace/v1\nkind: Trace\n'));
    assert.deepEqual(parse(yaml.stdout), JSON.parse(json.stdout));
  });

  test('-o wide shows every backend and routing rule', async () => {
    const result = await trace('api', ...example, '-o', 'wide');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /port http → api api:9000\/TCP {2}policy: restricted \(api-from-frontend\)/);
    assert.match(result.stdout, /^ {18}no session affinity$/m);
  });

  test('-o tree --color always paints, --color never does not; the words are the same', async () => {
    const [painted, plain] = await Promise.all([
      trace('cart', ...example, '-o', 'tree', '--color', 'always'),
      trace('cart', ...example, '-o', 'tree', '--color', 'never'),
    ]);
    assert.equal(painted.code, 1);
    assert.match(painted.stdout, /^\u001b\[31m╭─+╮\u001b\[39m$/m, 'a red border for a broken Service');
    assert.doesNotMatch(plain.stdout, /\u001b\[/);
    assert.match(plain.stdout, /^╭─+╮$/m);
    const words = (text: string) => text.replace(/\u001b\[\d+m/g, '').replace(/ +$/gm, '');
    assert.equal(words(painted.stdout), words(plain.stdout));
  });

  test('-f - reads the manifests from stdin', async () => {
    const manifest = await readFile('examples/shop/cart.yaml', 'utf8');
    const result = await run(['cart', '-f', '-', '-n', 'shop'], { home: box.home, stdin: manifest });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /target-port-missing/);
  });
});

describe('list mode from stdin', () => {
  // The SERVICE argument is never read from stdin: the piped manifests are for -f - alone.
  test('cat app.yaml | kubectl svc-trace -A -f -: the health table, exit 0', async () => {
    const manifest = await readFile('examples/shop/cart.yaml', 'utf8');
    const result = await run(['-A', '-f', '-'], { home: box.home, stdin: manifest });
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^NAMESPACE +NAME +TYPE/);
    assert.match(result.stdout, /^shop +cart +ClusterIP/m);
  });

  test('near: piped input without -f - is not read at all (the live list is asked for, and there is no cluster)', async () => {
    const result = await run(['-A', '--kubeconfig', 'does-not-exist.yaml'], { home: box.home, stdin: 'apiVersion: v1\nkind: Service\n' });
    assert.doesNotMatch(result.stderr, /is not a Service|is not a valid Service name/);
  });
});

describe('kubectl svc-explain -f examples/shop', () => {
  test('plain English on stdout: what it is, what is wrong and how to fix it', async () => {
    const result = await explain('cart', ...example);
    assert.equal(result.stderr, '');
    const paragraphs = result.stdout.trimEnd().split('\n\n');
    assert.match(paragraphs[0]!, /^cart is a ClusterIP Service in namespace shop \(read from manifests, not from a cluster\)\./);
    assert.ok(paragraphs.includes('It is broken:'));
    assert.match(result.stdout, /- [Tt]argetPort "http" [^\n]*\. To fix: [\s\S]*\(target-port-missing\)\n/);
    for (const line of result.stdout.split('\n')) assert.ok(line.length <= 100, `wider than 100 columns: ${line}`);
  });

  test('svc-explain on a Service that holds exits 0', async () => {
    const result = await explain('frontend', ...example);
    assert.equal(result.code, 0);
    assert.ok(result.stdout.includes('\n\nNothing is wrong in the manifests.\n\n'));
  });

  test('`kubectl svc-trace explain` is the same command as `kubectl svc-explain`', async () => {
    const [viaTrace, viaExplain] = await Promise.all([trace('explain', 'api', ...example), explain('api', ...example)]);
    assert.equal(viaTrace.code, viaExplain.code);
    assert.equal(viaTrace.stdout, viaExplain.stdout);
  });

  test('svc-explain exits 0 on a broken Service: explaining it succeeded', async () => {
    const result = await explain('cart', ...example);
    assert.equal(result.code, 0);
  });
});

describe('offline mode: errors are one sentence, one hint and an exit code', () => {
  test('a Service not in the manifests: exit 4, the hint names the Services that are', async () => {
    const result = await trace('carts', ...example);
    assert.equal(result.code, 4);
    assert.equal(result.stdout, '');
    const { error, hint } = errorLines(result);
    assert.equal(error, 'service "carts" not found in namespace "shop" of the manifests');
    assert.match(hint, /^Services in the manifests: shop\/cart, /);
  });

  test('the same name in another namespace: the hint says which -n to add', async () => {
    const result = await trace('cart', '-f', 'examples/shop', '-n', 'default');
    assert.equal(result.code, 4);
    assert.match(errorLines(result).hint, /Add -n shop /);
  });

  test('a manifest that does not parse: exit 2, file:line in one line', async () => {
    const file = 'test/fixtures/manifests/errors/invalid-indentation.yaml';
    const result = await trace('web', '-f', file);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(errorLines(result).error, new RegExp(`^${file.replaceAll('.', '\\.')}:\\d+: `));
  });

  test('a -f path that does not exist: exit 2', async () => {
    const result = await trace('web', '-f', 'examples/no-such-dir');
    assert.equal(result.code, 2);
    assert.match(errorLines(result).error, /examples\/no-such-dir/);
  });
});

describe('offline --from: the client is looked up in the manifests, as live mode looks it up', () => {
  test('on port http, --from deploy/frontend is admitted by api-from-frontend; --from deploy/cart is not (exit 1)', async () => {
    const admitted = await trace('api', ...example, '--port', 'http', '--from', 'deploy/frontend');
    assert.equal(admitted.code, 0, admitted.stdout);
    assert.match(admitted.stdout, /client +pod shop\/frontend \(one of deployment frontend\)/);
    const denied = await trace('api', ...example, '--port', 'http', '--from', 'deploy/cart', '-o', 'json');
    assert.equal(denied.code, 1);
    const output = JSON.parse(denied.stdout) as { findings: Array<{ id: string }> };
    assert.ok(output.findings.some((finding) => finding.id === 'network-policy-blocks'));
  });

  test('a client not in the manifests: exit 4; a malformed reference: exit 2, before reading any file', async () => {
    const missing = await trace('api', ...example, '--from', 'pod/does-not-exist');
    assert.equal(missing.code, 4);
    assert.match(errorLines(missing).error, /--from: pod does-not-exist not found in namespace shop of the manifests/);
    const malformed = await trace('api', '-f', 'examples/no-such-dir', '--from', 'a/b/c');
    assert.equal(malformed.code, 2);
    assert.match(errorLines(malformed).error, /--from a\/b\/c: "b" is not a kind of client/);
  });
});
