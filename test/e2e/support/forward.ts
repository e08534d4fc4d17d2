// Support for the forward end-to-end tests: one TCP echo server per fake pod (it greets with the
// pod's name, so a client can tell the pods apart), and a long-running `kubectl svc-trace forward`
// whose output can be waited on line by line.

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { listenLocal, type LocalServer } from '../../support/local-server.js';

export interface EchoServer extends LocalServer {
  name: string;
}

// Greets with `hello from NAME`, then echoes what it gets.
export async function startEchoServer(name: string): Promise<EchoServer> {
  const server = await listenLocal((socket) => {
    socket.write(`hello from ${name}\n`);
    socket.pipe(socket);
  });
  return { name, ...server };
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
