// Wrong flags, wrong arguments, and no way to a cluster: each is one `error:` line and one `hint:`
// line on stderr, nothing on stdout, no stack trace, and the exit code of the README's Exit codes table.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { errorLines, run, sandbox, type Sandbox } from './run.js';

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

function assertNoStack(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(stderr, /Error:|node:internal|file:\/\//, 'no error class or file URL');
}

describe('usage errors: exit 2', () => {
  const cases: Array<[string, string[], RegExp, RegExp]> = [
    ['an unknown flag', ['web', '--bogus', '-f', 'examples/shop'], /^Nonexistent flag: --bogus$/, /--help/],
    ['a workload where a Service is expected', ['deploy/web', '-f', 'examples/shop'], /"deploy\/web" is not a Service/, /NAME, svc\/NAME or service\/NAME/],
    ['an unknown output format', ['cart', '-o', 'nonsense', '-f', 'examples/shop', '-n', 'shop'], /unknown output format "nonsense"/, /text, tree, wide, json, yaml/],
    ['an invalid Service name', ['Web_1', '-f', 'examples/shop'], /"Web_1" is not a valid Service name/, /lower-case/],
    ['a --color value that does not exist', ['cart', '--color', 'sometimes', '-f', 'examples/shop'], /sometimes/, /--help/],
    ['--watch without a Service (checked before any request)', ['-w', '--kubeconfig', 'no-such-kubeconfig'], /^--watch follows one Service$/, /kubectl svc-trace SERVICE -w/],
    ['--watch with manifests', ['cart', '-w', '-f', 'examples/shop'], /cannot be used with -f/, /drop --watch/],
    ['--port with an Ingress (checked before any request)', ['ingress/shop', '--port', '80', '--kubeconfig', 'no-such-kubeconfig'], /^--port picks a Service port; ingress\/shop names its own$/, /each backend is traced on the port the entry names/],
    ['--watch with a route (checked before any request)', ['httproute/web', '-w', '--kubeconfig', 'no-such-kubeconfig'], /^--watch follows one Service, not an HTTPRoute$/, /without -w/],
    ['-A with an Ingress', ['ing/shop', '-A', '-f', 'examples/shop'], /^-A lists Services; ingress\/shop is one object of one namespace$/, /-n/],
    ['an invalid Ingress name', ['ingress/Shop_1', '-f', 'examples/shop'], /Shop_1/, /lower-case/],
    ['an output format explain does not have (checked before any request)', ['explain', 'cart', '-o', 'wide', '--kubeconfig', 'no-such-kubeconfig'], /unknown output format "wide" for explain/, /text or json/],
  ];
  for (const [name, args, error, hint] of cases) {
    test(name, async () => {
      const result = await run(args, { home: box.home });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      const lines = errorLines(result);
      assert.match(lines.error, error);
      assert.match(lines.hint, hint);
      assertNoStack(result.stderr);
    });
  }

  test('svc-explain without SERVICE', async () => {
    const result = await run(['-f', 'examples/shop'], { home: box.home, executable: 'explain' });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assertNoStack(result.stderr);
  });
});

describe('no way to a cluster: exit 3', () => {
  test('no kubeconfig at all and no -f: one sentence that says what to set', async () => {
    const result = await run(['web'], { home: box.home });
    assert.equal(result.code, 3);
    assert.equal(result.stdout, '');
    const { error, hint } = errorLines(result);
    assert.match(error, /no kubeconfig/);
    assert.match(hint, /kubectl config view/);
    assertNoStack(result.stderr);
  });

  test('list mode without kubeconfig fails the same way', async () => {
    const result = await run([], { home: box.home });
    assert.equal(result.code, 3);
    assert.match(errorLines(result).error, /no kubeconfig/);
  });

  test('a kubeconfig whose server is a closed port on 127.0.0.1: connection refused, the context named', async () => {
    const port = await closedPort();
    const kubeconfig = await box.kubeconfig(
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: gone, cluster: {server: "http://127.0.0.1:' + port + '"}}]',
        'users: [{name: reader, user: {token: closed-port-token-5e1f}}]',
        'contexts: [{name: gone, context: {cluster: gone, user: reader, namespace: shop}}]',
        'current-context: gone',
        '',
      ].join('\n'),
      'closed-port.yaml',
    );
    const result = await run(['web'], { home: box.home, kubeconfig });
    assert.equal(result.code, 3);
    assert.equal(result.stdout, '');
    const { error } = errorLines(result);
    assert.match(error, new RegExp(`context "gone" at http://127\\.0\\.0\\.1:${port}: connection refused`));
    assert.ok(!result.stderr.includes('closed-port-token-5e1f'), 'the token is never printed');
    assertNoStack(result.stderr);
  });

  test('--kubeconfig naming a file that does not exist: a usage error', async () => {
    const result = await run(['web', '--kubeconfig', 'no-such-kubeconfig.yaml'], { home: box.home });
    assert.equal(result.code, 2);
    assert.match(errorLines(result).error, /no-such-kubeconfig\.yaml does not exist/);
  });
});

// A port on 127.0.0.1 that nothing listens on: bound by the system, then released.
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
