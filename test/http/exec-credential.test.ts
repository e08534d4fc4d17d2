// Exec credential plugins run natively, by the ExecCredential protocol: what the plugin is told
// (KUBERNETES_EXEC_INFO, env, cluster info), what it may answer, and how long its credential lives.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rejection } from '../support/rejection.js';
import { ExecPlugin, type ExecConfig, type ExecPluginOptions } from '../../src/cluster/exec-credential.js';
import { ExitCode } from '../../src/errors.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'svc-trace-exec-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let scripts = 0;
// A plugin script; each run appends a line to `runs` and the env it saw to `seen`.
function pluginScript(body: string): { command: string; runs: () => number; seen: () => Record<string, string> } {
  scripts += 1;
  const command = path.join(scratch, `plugin-${scripts}.sh`);
  const runs = path.join(scratch, `runs-${scripts}`);
  const seen = path.join(scratch, `seen-${scripts}.json`);
  writeFileSync(
    command,
    `#!/bin/sh\necho run >> ${runs}\nprintf '{"info":%s,"region":"%s"}' "$KUBERNETES_EXEC_INFO" "$REGION" > ${seen}\n${body}\n`,
  );
  chmodSync(command, 0o755);
  return {
    command,
    runs: () => {
      try {
        return readFileSync(runs, 'utf8').trim().split('\n').length;
      } catch {
        return 0;
      }
    },
    seen: () => JSON.parse(readFileSync(seen, 'utf8')) as Record<string, string>,
  };
}

const credential = (status: object, apiVersion = 'client.authentication.k8s.io/v1') =>
  `echo '${JSON.stringify({ apiVersion, kind: 'ExecCredential', status })}'`;

function execPlugin(exec: ExecConfig, options: Partial<ExecPluginOptions> = {}): ExecPlugin {
  return new ExecPlugin({
    exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', ...exec },
    userName: 'eks-user',
    timeoutMs: 10_000,
    timeoutFlag: '--request-timeout',
    stdinIsTerminal: false,
    environment: { PATH: process.env.PATH },
    ...options,
  });
}

describe('what the plugin is told', () => {
  test('KUBERNETES_EXEC_INFO (apiVersion, interactive: false), the env of the kubeconfig, and the token it returns', async () => {
    const plugin = pluginScript(credential({ token: 'token-from-plugin' }));
    const source = execPlugin({ command: plugin.command, env: [{ name: 'REGION', value: 'eu-west-1' }] });
    assert.deepEqual(await source.get(), { headers: { Authorization: 'Bearer token-from-plugin' } });
    assert.deepEqual(plugin.seen(), {
      info: { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false } },
      region: 'eu-west-1',
    });
  });

  test('provideClusterInfo: spec.cluster carries the server, the CA and the exec extension', async () => {
    const plugin = pluginScript(credential({ token: 't' }, 'client.authentication.k8s.io/v1beta1'));
    const cluster = { server: 'https://eks.example:443', 'certificate-authority-data': 'Q0E=', config: { audience: 'sts' } };
    const source = execPlugin({ command: plugin.command, apiVersion: 'client.authentication.k8s.io/v1beta1', provideClusterInfo: true }, { cluster });
    await source.get();
    assert.deepEqual(plugin.seen().info, { apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', spec: { interactive: false, cluster } });
  });

  test('a client certificate and key instead of a token', async () => {
    const plugin = pluginScript(credential({ clientCertificateData: 'CERT', clientKeyData: 'KEY' }));
    assert.deepEqual(await execPlugin({ command: plugin.command }).get(), { cert: 'CERT', key: 'KEY' });
  });
});

describe('how long a credential lives', () => {
  test('cached until expirationTimestamp: two requests, one run', async () => {
    const plugin = pluginScript(credential({ token: 't', expirationTimestamp: new Date(Date.now() + 3_600_000).toISOString() }));
    const source = execPlugin({ command: plugin.command });
    await source.get();
    await source.get();
    assert.equal(plugin.runs(), 1);
  });

  test('expired: run again for the next request', async () => {
    const plugin = pluginScript(credential({ token: 't', expirationTimestamp: '2020-01-01T00:00:00Z' }));
    const source = execPlugin({ command: plugin.command });
    await source.get();
    await source.get();
    assert.equal(plugin.runs(), 2);
  });

  test('parallel requests share one run', async () => {
    const plugin = pluginScript(`sleep 0.2\n${credential({ token: 't' })}`);
    const source = execPlugin({ command: plugin.command });
    await Promise.all([source.get(), source.get(), source.get()]);
    assert.equal(plugin.runs(), 1);
  });

  test('rejected (a 401): the next request runs the plugin again', async () => {
    const plugin = pluginScript(credential({ token: 't' }));
    const source = execPlugin({ command: plugin.command });
    const used = await source.get();
    assert.equal(source.rejected(used), true);
    await source.get();
    assert.equal(plugin.runs(), 2);
  });
});

describe('what is refused, as kubectl refuses it', () => {
  const cases: Array<[string, ExecConfig, RegExp]> = [
    ['v1 without interactiveMode', { command: 'true', interactiveMode: undefined }, /has no interactiveMode, which client\.authentication\.k8s\.io\/v1 requires/],
    ['an apiVersion no kubectl speaks', { command: 'true', apiVersion: 'client.authentication.k8s.io/v1alpha1' }, /asks for apiVersion client\.authentication\.k8s\.io\/v1alpha1; kubectl and svc-trace speak/],
    ['no command', { command: '' }, /has no command/],
  ];
  for (const [name, exec, message] of cases) {
    test(`${name}: exit 3 before the plugin runs`, () => {
      assert.throws(() => execPlugin(exec), (error: Error & { exitCode?: number }) => message.test(error.message) && error.exitCode === ExitCode.cluster);
    });
  }

  test('interactiveMode Always without a terminal', async () => {
    const plugin = pluginScript(credential({ token: 't' }));
    const error = await rejection(execPlugin({ command: plugin.command, interactiveMode: 'Always' }).get());
    assert.match(error.message, /needs a terminal \(interactiveMode: Always\), and standard input is not one/);
    assert.equal(plugin.runs(), 0);
  });

  const answers: Array<[string, string, RegExp]> = [
    ['not JSON', 'echo "Please log in"', /printed something that is not an ExecCredential \(not JSON\)/],
    ['no status', `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}'`, /returned an ExecCredential without a status/],
    ['neither token nor certificate', credential({}), /returned neither a token nor a client certificate and key/],
    ['a certificate without its key', credential({ clientCertificateData: 'CERT' }), /returned only one of clientCertificateData and clientKeyData/],
    ['an expirationTimestamp that is not a time', credential({ token: 't', expirationTimestamp: 'soon' }), /expirationTimestamp that is not a time: soon/],
  ];
  for (const [name, body, message] of answers) {
    test(`an answer with ${name}`, async () => {
      const error = await rejection(execPlugin({ command: pluginScript(body).command }).get());
      assert.equal(error.exitCode, ExitCode.cluster);
      assert.match(error.message, message);
    });
  }

  test('a plugin killed at its time limit takes what it started with it', async () => {
    const plugin = pluginScript('sleep 600 &\nwait');
    const started = performance.now();
    const error = await rejection(execPlugin({ command: plugin.command }, { timeoutMs: 300 }).get());
    assert.match(error.message, /did not finish within 300ms; it was stopped/);
    assert.match(error.hint, /--request-timeout sets how long svc-trace waits for it/);
    assert.ok(performance.now() - started < 5000);
  });
});

