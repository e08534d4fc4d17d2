// connect() by kubectl's rules, checked where it shows: which server is called, with which
// credentials, in which namespace, and what the user reads when the kubeconfig is wrong.

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { rejection } from '../support/rejection.js';
import { connect } from '../../src/cluster/kubeconfig.js';
import type { ConnectOptions, KubeconfigEnvironment } from '../../src/cluster/kubeconfig.js';
import { ExitCode } from '../../src/errors.js';

const fixtures = path.resolve('test/fixtures/kubeconfig');
const fixture = (name: string): string => path.join(fixtures, name);

const scratch = mkdtempSync(path.join(os.tmpdir(), 'svc-trace-kubeconfig-'));
const emptyHome = path.join(scratch, 'empty-home');
mkdirSync(emptyHome);

// Nothing from this machine leaks in: no KUBECONFIG, an empty home, no service account.
function environment(env: Record<string, string> = {}, home = emptyHome): KubeconfigEnvironment {
  return { env, home, serviceAccountDirectory: path.join(scratch, 'no-service-account') };
}

const versionInfo = { major: '1', minor: '34', gitVersion: 'v1.34.4', platform: 'linux/amd64' };

// Connects, then makes one request, so the test sees which server and credentials were really used.
async function version(options: ConnectOptions, env: KubeconfigEnvironment) {
  const connection = await connect(options, env);
  await connection.gateway.get('/version');
  return connection;
}

before(() => {
  nock.disableNetConnect();
  // Git keeps the executable bit, but an archive or a copy might not.
  chmodSync(fixture('credential-plugin.sh'), 0o755);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.disableNetConnect();
  assert.deepEqual(pending, [], 'every mocked request was made');
});

after(() => {
  nock.enableNetConnect();
  rmSync(scratch, { recursive: true, force: true });
});

describe('which kubeconfig, context and namespace', () => {
  test('--kubeconfig: the current context, its namespace, and its bearer token sent to its server', async () => {
    nock('https://127.0.0.1:6443', { reqheaders: { authorization: 'Bearer first-file-token' } })
      .get('/version')
      .reply(200, versionInfo);
    const connection = await version({ kubeconfig: fixture('first.yaml') }, environment());
    assert.equal(connection.context, 'kind-shop');
    assert.equal(connection.namespace, 'shop');
    assert.equal(connection.server, 'https://127.0.0.1:6443');
  });

  test('KUBECONFIG with two files: the first file\'s current-context wins', async () => {
    nock('https://127.0.0.1:6443').get('/version').reply(200, versionInfo);
    const list = [fixture('first.yaml'), fixture('second.yaml')].join(path.delimiter);
    const connection = await version({}, environment({ KUBECONFIG: list }));
    assert.equal(connection.context, 'kind-shop');
  });

  test('KUBECONFIG with two files: --context picks a context of the second file, with its token file', async () => {
    nock('https://127.0.0.1:7443', { reqheaders: { authorization: 'Bearer staging-file-token' } })
      .get('/version')
      .reply(200, versionInfo);
    const list = [fixture('first.yaml'), fixture('second.yaml')].join(path.delimiter);
    const connection = await version({ context: 'staging' }, environment({ KUBECONFIG: list }));
    assert.equal(connection.context, 'staging');
    assert.equal(connection.server, 'https://127.0.0.1:7443');
    assert.equal(connection.namespace, 'default', 'a context without a namespace means default');
  });

  test('KUBECONFIG with two files: a cluster or user both define comes from the first file, whole', async () => {
    nock('https://127.0.0.1:6444', { reqheaders: { authorization: 'Bearer first-file-token' } })
      .get('/version')
      .reply(200, versionInfo);
    const list = [fixture('first.yaml'), fixture('second.yaml')].join(path.delimiter);
    const connection = await version({ context: 'shared-from-second' }, environment({ KUBECONFIG: list }));
    assert.equal(connection.server, 'https://127.0.0.1:6444');
    assert.equal(connection.namespace, 'payments');
  });

  test('a missing file in the KUBECONFIG list is skipped, as kubectl skips it', async () => {
    nock('https://127.0.0.1:7443').get('/version').reply(200, versionInfo);
    const list = [path.join(scratch, 'gone.yaml'), fixture('second.yaml')].join(path.delimiter);
    const connection = await version({}, environment({ KUBECONFIG: list }));
    assert.equal(connection.context, 'staging');
  });

  test('without KUBECONFIG, ~/.kube/config is read', async () => {
    const home = path.join(scratch, 'home-with-config');
    mkdirSync(path.join(home, '.kube'), { recursive: true });
    copyFileSync(fixture('first.yaml'), path.join(home, '.kube', 'config'));
    nock('https://127.0.0.1:6443').get('/version').reply(200, versionInfo);
    const connection = await version({}, environment({}, home));
    assert.equal(connection.context, 'kind-shop');
  });

  test('--namespace wins over the context\'s namespace', async () => {
    nock('https://127.0.0.1:6443').get('/version').reply(200, versionInfo);
    const connection = await version({ kubeconfig: fixture('first.yaml'), namespace: 'checkout' }, environment());
    assert.equal(connection.namespace, 'checkout');
  });

  test('--kubeconfig wins over KUBECONFIG', async () => {
    nock('https://127.0.0.1:7443').get('/version').reply(200, versionInfo);
    const connection = await version({ kubeconfig: fixture('second.yaml') }, environment({ KUBECONFIG: fixture('first.yaml') }));
    assert.equal(connection.context, 'staging');
  });

  test('inside a pod without kubeconfig, the service account is used', async () => {
    const serviceAccount = path.join(scratch, 'serviceaccount');
    mkdirSync(serviceAccount, { recursive: true });
    writeFileSync(path.join(serviceAccount, 'token'), 'service-account-token\n');
    copyFileSync(fixture('tls-ca.pem'), path.join(serviceAccount, 'ca.crt'));
    writeFileSync(path.join(serviceAccount, 'namespace'), 'shop');
    nock('https://127.0.0.1:6443', { reqheaders: { authorization: 'Bearer service-account-token' } })
      .get('/version')
      .reply(200, versionInfo);
    const connection = await version(
      {},
      {
        env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '6443' },
        home: emptyHome,
        serviceAccountDirectory: serviceAccount,
      },
    );
    assert.equal(connection.namespace, 'shop');
    assert.equal(connection.server, 'https://127.0.0.1:6443');
  });
});

describe('credentials', () => {
  test('an exec credential plugin (a path relative to the kubeconfig) provides the token the server sees', async () => {
    nock('https://127.0.0.1:6443', { reqheaders: { authorization: 'Bearer exec-token-from-env-exec' } })
      .get('/version')
      .reply(200, versionInfo);
    const connection = await version({ kubeconfig: fixture('exec.yaml') }, environment());
    assert.equal(connection.context, 'exec');
  });

  test('an exec credential plugin works for a plain http:// server too', async () => {
    nock('http://127.0.0.1:8080', { reqheaders: { authorization: 'Bearer exec-token-from-env-exec' } })
      .get('/version')
      .reply(200, versionInfo);
    const connection = await version({ kubeconfig: fixture('exec.yaml'), context: 'exec-over-http' }, environment());
    assert.equal(connection.namespace, 'plain');
  });

  test('a failing exec plugin is a cluster error that quotes what it said', async () => {
    const error = await rejection(connect({ kubeconfig: fixture('exec.yaml'), context: 'failing' }, environment()));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, 'the credential plugin "sh" of user "failing-plugin" failed with exit code 1: error: the SSO session has expired');
  });

  test('a missing exec plugin shows its installHint', async () => {
    const error = await rejection(connect({ kubeconfig: fixture('exec.yaml'), context: 'missing' }, environment()));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, 'the credential plugin "svc-trace-test-no-such-plugin" of user "missing-plugin" was not found');
    assert.equal(error.hint, 'install svc-trace-test-no-such-plugin from your cloud vendor');
  });

  test('impersonation (as, as-groups) becomes Impersonate-* headers, and a server path prefix is kept', async () => {
    nock('https://127.0.0.1:6443', {
      reqheaders: {
        authorization: 'Bearer impersonating-token',
        'impersonate-user': 'jane',
        // Node sends one header line per group (as the API server wants them); nock shows them joined.
        'impersonate-group': 'viewers, developers',
      },
    })
      .get('/k8s/clusters/c-1/version')
      .reply(200, versionInfo);
    await version({ kubeconfig: fixture('impersonate.yaml') }, environment());
  });

  test('--debug lines name the context, cluster and kind of credentials, never the token', async () => {
    nock('https://127.0.0.1:6443').get('/version').reply(200, versionInfo);
    const lines: string[] = [];
    await version({ kubeconfig: fixture('first.yaml'), debug: (line) => lines.push(line) }, environment());
    const text = lines.join('\n');
    assert.match(text, /context "kind-shop": cluster "kind-shop" at https:\/\/127\.0\.0\.1:6443, user "shop-admin" \(bearer token\), namespace "shop"/);
    assert.match(text, /GET \/version 200 \d+ms/);
    assert.ok(!text.includes('first-file-token'), 'the token is never printed');
    assert.ok(!text.includes(readFileSync(fixture('tls-ca.pem')).toString('base64').slice(0, 40)), 'the certificate data is never printed');
  });
});

describe('--request-timeout', () => {
  test('a bare number is seconds, as kubectl reads it', async () => {
    nock('https://127.0.0.1:6443').get('/version').delay(1500).reply(200, versionInfo);
    const error = await rejection(version({ kubeconfig: fixture('first.yaml'), requestTimeout: '1' }, environment()));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.match(error.message, /did not answer GET \/version within 1s$/);
  });

  test('a value that is not a duration is a usage error', async () => {
    const error = await rejection(connect({ kubeconfig: fixture('first.yaml'), requestTimeout: 'soon' }, environment()));
    assert.equal(error.exitCode, ExitCode.usage);
    assert.match(error.message, /--request-timeout/);
  });
});

describe('kubeconfig errors', () => {
  test('no kubeconfig anywhere', async () => {
    const error = await rejection(connect({}, environment()));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, 'no kubeconfig: set KUBECONFIG or pass --kubeconfig');
    assert.match(error.hint, new RegExp(`^looked for ${path.join(emptyHome, '.kube', 'config')};`));
  });

  test('a --kubeconfig file that does not exist is a usage error', async () => {
    const missing = path.join(scratch, 'nope.yaml');
    const error = await rejection(connect({ kubeconfig: missing }, environment()));
    assert.equal(error.exitCode, ExitCode.usage);
    assert.equal(error.message, `the kubeconfig file ${missing} does not exist`);
  });

  test('a --context that does not exist lists the contexts there are', async () => {
    const list = [fixture('first.yaml'), fixture('second.yaml')].join(path.delimiter);
    const error = await rejection(connect({ context: 'prod' }, environment({ KUBECONFIG: list })));
    assert.equal(error.exitCode, ExitCode.usage);
    assert.equal(error.message, 'context "prod" does not exist in the kubeconfig');
    assert.equal(error.hint, 'pass --context with one of: kind-shop, shared-from-first, staging, shared-from-second');
  });

  test('a kubeconfig that does not parse names the file', async () => {
    const error = await rejection(connect({ kubeconfig: fixture('broken.yaml') }, environment()));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.ok(error.message.startsWith(`the kubeconfig file ${fixture('broken.yaml')} does not parse: `), error.message);
  });

  test('a context whose cluster has no server', async () => {
    const error = await rejection(connect({ kubeconfig: fixture('incomplete.yaml') }, environment()));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, 'cluster "serverless" of context "no-server" has no server');
  });

  test('a context that names a cluster nobody defines', async () => {
    const error = await rejection(connect({ kubeconfig: fixture('incomplete.yaml'), context: 'no-cluster' }, environment()));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, 'context "no-cluster" names cluster "deleted-cluster", which the kubeconfig does not define');
  });

  test('a context that names a user nobody defines', async () => {
    const error = await rejection(connect({ kubeconfig: fixture('incomplete.yaml'), context: 'no-user' }, environment()));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, 'user "deleted-user" of context "no-user" is not in the kubeconfig');
  });

  test('a client certificate file that is not there names the file', async () => {
    const directory = mkdtempSync(path.join(scratch, 'missing-cert-'));
    const kubeconfig = path.join(directory, 'config');
    writeFileSync(kubeconfig, tlsKubeconfig('https://127.0.0.1:6443', { 'certificate-authority': 'ca.pem' }, { 'client-certificate': 'absent.crt', 'client-key': 'absent.key' }));
    copyFileSync(fixture('tls-ca.pem'), path.join(directory, 'ca.pem'));
    const error = await rejection(connect({ kubeconfig }, environment()));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.equal(error.message, `cannot read the client-certificate of user "tls-user": ${path.join(directory, 'absent.crt')} (ENOENT)`);
  });
});

// Real TLS on loopback (nock does not speak TLS): a server that wants a client certificate signed by the test CA.
describe('TLS material from the kubeconfig, over real TLS', () => {
  let server: https.Server;
  let url = '';

  before(async () => {
    server = https.createServer(
      {
        key: readFileSync(fixture('tls-server-key.pem')),
        cert: readFileSync(fixture('tls-server.pem')),
        ca: readFileSync(fixture('tls-ca.pem')),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (request, response) => {
        const socket = request.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        response.setHeader('Content-Type', 'application/json');
        if (!socket.authorized) {
          response.statusCode = 401;
          response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
          return;
        }
        response.end(JSON.stringify({ ...versionInfo, clientCommonName: peer.subject?.CN }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  // A kubeconfig in its own directory, with the certificates copied beside it under relative names.
  function kubeconfigBeside(cluster: Record<string, unknown>, user: Record<string, unknown>): string {
    const directory = mkdtempSync(path.join(scratch, 'tls-'));
    for (const [from, to] of [['tls-ca.pem', 'ca.pem'], ['tls-client.pem', 'client.crt'], ['tls-client-key.pem', 'client.key']]) {
      copyFileSync(fixture(from), path.join(directory, to));
    }
    const file = path.join(directory, 'config');
    writeFileSync(file, tlsKubeconfig(url, cluster, user));
    return file;
  }

  test('certificate-authority and client-certificate/key files, relative to the kubeconfig', async () => {
    nock.enableNetConnect('127.0.0.1');
    const kubeconfig = kubeconfigBeside({ 'certificate-authority': 'ca.pem' }, { 'client-certificate': 'client.crt', 'client-key': 'client.key' });
    const connection = await connect({ kubeconfig }, environment());
    const answer = await connection.gateway.get<{ clientCommonName: string }>('/version');
    assert.equal(answer.clientCommonName, 'svc-trace-test');
  });

  test('certificate-authority-data and client-certificate-data/key-data inline', async () => {
    nock.enableNetConnect('127.0.0.1');
    const base64 = (name: string): string => readFileSync(fixture(name)).toString('base64');
    const kubeconfig = kubeconfigBeside(
      { 'certificate-authority-data': base64('tls-ca.pem') },
      { 'client-certificate-data': base64('tls-client.pem'), 'client-key-data': base64('tls-client-key.pem') },
    );
    const connection = await connect({ kubeconfig }, environment());
    const answer = await connection.gateway.get<{ clientCommonName: string }>('/version');
    assert.equal(answer.clientCommonName, 'svc-trace-test');
  });

  test('insecure-skip-tls-verify accepts a server the system does not trust', async () => {
    nock.enableNetConnect('127.0.0.1');
    const kubeconfig = kubeconfigBeside({ 'insecure-skip-tls-verify': true }, { 'client-certificate': 'client.crt', 'client-key': 'client.key' });
    const connection = await connect({ kubeconfig }, environment());
    const answer = await connection.gateway.get<{ clientCommonName: string }>('/version');
    assert.equal(answer.clientCommonName, 'svc-trace-test');
  });

  test('YAML 1.1 booleans, as kubectl reads them: insecure-skip-tls-verify: yes', async () => {
    nock.enableNetConnect('127.0.0.1');
    const kubeconfig = kubeconfigBeside({}, {});
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: tls',
        'clusters:',
        '- name: tls',
        '  cluster:',
        `    server: ${url}`,
        '    insecure-skip-tls-verify: yes',
        'users:',
        '- name: tls-user',
        '  user: {client-certificate: client.crt, client-key: client.key}',
        'contexts:',
        '- name: tls',
        '  context: {cluster: tls, user: tls-user}',
      ].join('\n'),
    );
    const connection = await connect({ kubeconfig }, environment());
    const answer = await connection.gateway.get<{ clientCommonName: string }>('/version');
    assert.equal(answer.clientCommonName, 'svc-trace-test');
  });

  test('without the cluster\'s CA the server is not trusted: a TLS error with exit 3', async () => {
    nock.enableNetConnect('127.0.0.1');
    const kubeconfig = kubeconfigBeside({}, { token: 'tls-token' });
    const connection = await connect({ kubeconfig }, environment());
    const error = await rejection(connection.gateway.get('/version'));
    assert.equal(error.exitCode, ExitCode.cluster);
    assert.match(error.message, new RegExp(`^cannot reach the cluster of context "tls" at ${url}: its TLS certificate is not signed by the certificate authority that the kubeconfig gives for cluster "tls" \\(`));
    assert.match(error.hint, /^set certificate-authority-data of cluster "tls" to the CA that signed the API server's certificate \(`kubectl config set-cluster tls --certificate-authority=ca.crt --embed-certs`\)/);
    assert.match(error.hint, /--insecure-skip-tls-verify skips the check \(the connection is then insecure/);
  });

  test('--insecure-skip-tls-verify, as kubectl has it: the CA is dropped, the server accepted, and a warning says so', async () => {
    nock.enableNetConnect('127.0.0.1');
    // A CA that did not sign the server's certificate: with the flag it is not used at all.
    const kubeconfig = kubeconfigBeside({ 'certificate-authority-data': readFileSync(fixture('tls-client.pem')).toString('base64') }, { 'client-certificate': 'client.crt', 'client-key': 'client.key' });
    const warnings: string[] = [];
    const connection = await connect({ kubeconfig, insecureSkipTlsVerify: true, warn: (line) => warnings.push(line) }, environment());
    const answer = await connection.gateway.get<{ clientCommonName: string }>('/version');
    assert.equal(answer.clientCommonName, 'svc-trace-test');
    assert.deepEqual(warnings, ["warning: --insecure-skip-tls-verify: the API server's certificate is not checked; this connection is insecure (anyone on the path can read and change it)"]);
  });
});

function tlsKubeconfig(server: string, cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'tls',
    clusters: [{ name: 'tls', cluster: { server, ...cluster } }],
    users: [{ name: 'tls-user', user }],
    contexts: [{ name: 'tls', context: { cluster: 'tls', user: 'tls-user' } }],
  });
}
