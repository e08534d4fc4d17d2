// Exec credential plugins that misbehave (hang, speak another apiVersion, hand out a token that the
// server rejects), and a server certificate that the kubeconfig's CA did not sign.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sandbox, type Sandbox } from '../commands/run.js';
import { assertBounded, execCredential, execUser, plugin, timed, withFault } from './support.js';

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

describe('exec credential plugins', () => {
  test('a plugin that hangs is stopped at --request-timeout: exit 3, naming it and how long', async () => {
    const hanging = await plugin(box, 'hanging-plugin.sh', 'sleep 600');
    await withFault(box, () => false, async ({ server, trace }) => {
      const result = await trace('web', '--request-timeout', '2s');
      assert.equal(result.code, 3, result.stderr);
      assert.equal(result.firstLine, `error: the credential plugin "${hanging}" of user "reader" did not finish within 2s; it was stopped`);
      assert.deepEqual(server.requests, []);
      assertBounded(result, 15);
    }, () => execUser(hanging));
  });

  test('a plugin that hangs under assert --timeout 2s is stopped by the deadline', async () => {
    const hanging = await plugin(box, 'hanging-plugin-2.sh', 'sleep 600');
    await withFault(box, () => false, async ({ trace }) => {
      const result = await trace('assert', 'web', '--timeout', '2s');
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.firstLine, new RegExp(`^error: the credential plugin "${hanging}" of user "reader" had not finished after [\\d.]+s when --timeout 2s ran out; it was stopped$`));
      assertBounded(result, 15);
    }, () => execUser(hanging));
  });

  test('a plugin that returns v1beta1 when the kubeconfig asks for v1 is refused, as kubectl refuses it', async () => {
    const older = await plugin(box, 'v1beta1-plugin.sh', `echo '${execCredential('any', 'client.authentication.k8s.io/v1beta1')}'`);
    await withFault(box, () => false, async ({ server, trace }) => {
      const result = await trace('web');
      assert.equal(result.code, 3, result.stderr);
      assert.equal(
        result.firstLine,
        `error: the credential plugin "${older}" of user "reader" returned an ExecCredential of client.authentication.k8s.io/v1beta1, but the kubeconfig asks for client.authentication.k8s.io/v1`,
      );
      assert.deepEqual(server.requests, []);
    }, () => execUser(older));
  });

  test('the credential is cached for the whole command, and a 401 runs the plugin once more', async () => {
    const runs = path.join(box.home, 'plugin-runs');
    // The first run hands out a token the server rejects; the later ones the right token.
    await withFault(box, () => false, async ({ server, trace }) => {
      const result = await trace('web');
      assert.equal(result.code, 0, result.stderr);
      assert.equal((await readFile(runs, 'utf8')).trim().split('\n').length, 2, 'the plugin ran twice: once, then once after the 401');
      assert.equal(server.requests.filter((r) => r.path === '/api/v1/namespaces/shop/services/web').length, 2);
    }, async (server) => {
      const script = [
        `echo run >> ${runs}`,
        `if [ "$(wc -l < ${runs})" -eq 1 ]; then token=expired-token; else token=${server.token}; fi`,
        `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$token"`,
      ].join('\n');
      return execUser(await plugin(box, 'rotating-plugin.sh', script));
    });
  });
});

describe('TLS', () => {
  const fixtures = path.resolve('test/fixtures/kubeconfig');
  let server: https.Server;
  let url = '';
  before(async () => {
    server = https.createServer(
      { key: readFileSync(path.join(fixtures, 'tls-server-key.pem')), cert: readFileSync(path.join(fixtures, 'tls-server.pem')) },
      (_request, response) => {
        response.writeHead(404, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'services "web" not found', reason: 'NotFound', code: 404 }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const kubeconfig = () =>
    box.kubeconfig(
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: staging',
        `  cluster: {server: "${url}"}`,
        'users:',
        '- name: reader',
        '  user: {token: tls-token}',
        'contexts:',
        '- name: staging',
        '  context: {cluster: staging, user: reader, namespace: shop}',
        'current-context: staging',
        '',
      ].join('\n'),
      'tls.yaml',
    );

  test('a certificate the kubeconfig does not trust: kubectl-like advice, exit 3', async () => {
    const result = await timed(['web'], box, await kubeconfig());
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.firstLine, new RegExp(`^error: cannot reach the cluster of context "staging" at ${url}: its TLS certificate is not signed by the certificate authority that the kubeconfig gives for cluster "staging" \\(`));
    const hint = result.stderr.split('\n')[1]!;
    assert.match(hint, /certificate-authority-data of cluster "staging"/);
    assert.match(hint, /--insecure-skip-tls-verify skips the check \(the connection is then insecure/);
    assert.doesNotMatch(result.stderr, /NODE_TLS_REJECT_UNAUTHORIZED|NODE_EXTRA_CA_CERTS/);
  });

  test('--insecure-skip-tls-verify: the request goes through, after a warning', async () => {
    const result = await timed(['web', '--insecure-skip-tls-verify'], box, await kubeconfig());
    assert.equal(result.firstLine, "warning: --insecure-skip-tls-verify: the API server's certificate is not checked; this connection is insecure (anyone on the path can read and change it)");
    // The server answers every request with a NotFound Status: the request reached it over TLS.
    assert.equal(result.code, 4, result.stderr);
  });
});
