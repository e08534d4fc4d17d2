// Support for the forward end-to-end test: one TCP echo server per fake pod (it greets with the
// pod's name, so a client can tell the pods apart), a long-running `kubectl svc-trace forward`
// whose output can be waited on line by line, and the plugin on PATH as built.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Cluster } from './cluster.js';

// Three pods of a Deployment `web` that declare port `http` (8080): what forward and --probe reach.
export const webDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: example.test/web:1
        ports: [{name: http, containerPort: 8080}]
`;

export interface EchoServer {
  name: string;
  port: number;
  close: () => Promise<void>;
}

// Greets with `hello from NAME`, then echoes what it gets.
export async function startEchoServer(name: string): Promise<EchoServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.write(`hello from ${name}\n`);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Conversation {
  socket: net.Socket;
  // The first line the pod's app sent: `hello from NAME`.
  greeting: Promise<string>;
  closed: Promise<void>;
}

// One local connection through the forward; the greeting names the pod that took it.
export function converse(port: number): Conversation {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const greeting = new Promise<string>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline !== -1) resolve(text.slice(0, newline));
    });
    void closed.then(() => reject(new Error(`the connection closed before a greeting (got ${JSON.stringify(text)})`)));
    setTimeout(() => reject(new Error(`no greeting within 20s on local port ${port}`)), 20_000).unref();
  });
  greeting.catch(() => {});
  return { socket, greeting, closed };
}

// The pod whose app answered one new connection.
export async function podBehindNewConnection(port: number): Promise<string> {
  const conversation = converse(port);
  try {
    return (await conversation.greeting).replace(/^hello from /, '');
  } finally {
    conversation.socket.destroy();
  }
}

export interface RunningCommand {
  child: ChildProcess;
  output: () => string;
  // Resolves with the match once a line of stdout or stderr matches.
  waitFor: (pattern: RegExp, seconds?: number) => Promise<RegExpMatchArray>;
  // Sends a signal and resolves with the exit code.
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  // Resolves with the exit code once the command ends by itself.
  exited: Promise<number | null>;
}

export function startCommand(command: string, args: string[], env: NodeJS.ProcessEnv): RunningCommand {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    waitFor: (pattern, seconds = 30) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (!match) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no output line matched ${pattern} within ${seconds}s; output so far:\n${output}`));
        }, seconds * 1000);
        const onExit = () => {
          cleanup();
          reject(new Error(`the command exited before printing ${pattern}; output:\n${output}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('close', onExit);
        };
        waiters.add(check);
        child.once('close', onExit);
        check();
      }),
    stop: async (signal = 'SIGINT') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

// PATH for the built plugin. `npm test` builds into dist/, which bin/ loads, and the cluster's
// environment already has bin/ on PATH. A build elsewhere (an engineer's own out dir) gets
// launchers that load that build, so the test runs the code it was compiled with.
export function pluginEnvironment(cluster: Cluster): NodeJS.ProcessEnv {
  const buildRoot = path.resolve(import.meta.dirname, '..', '..', '..');
  if (buildRoot === path.resolve('dist')) return cluster.env;
  const binDirectory = path.join(mkdtempSync(path.join(tmpdir(), 'svc-trace-forward-e2e-')), 'bin');
  mkdirSync(binDirectory);
  const module = (file: string) => JSON.stringify(pathToFileURL(path.join(buildRoot, file)).href);
  for (const [executable, kind] of [['kubectl-svc_trace', 'trace'], ['kubectl-svc_explain', 'explain']] as const) {
    const launcher = path.join(binDirectory, executable);
    writeFileSync(
      launcher,
      [
        '#!/usr/bin/env node',
        "import { readFileSync } from 'node:fs';",
        `const { COMMANDS } = await import(${module('commands/index.js')});`,
        `const { default: help } = await import(${module('src/cli/help.js')});`,
        `const { main } = await import(${module('src/cli/main.js')});`,
        `const pjson = JSON.parse(readFileSync(${JSON.stringify(path.resolve('package.json'))}, 'utf8'));`,
        `await main('${kind}', process.argv.slice(2), ${JSON.stringify(path.resolve('.'))}, { pjson, commands: COMMANDS, help });`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
  }
  return { ...cluster.env, PATH: [binDirectory, cluster.env.PATH].join(path.delimiter) };
}
