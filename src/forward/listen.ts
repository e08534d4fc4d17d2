// Binding one local address for a forwarded port, and saying why it failed in words.

import net, { type Server, type Socket } from 'node:net';
import { usageError } from '../errors.js';

export function bind(address: string, port: number, onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    // allowHalfOpen: a client that shuts down its side still gets the answer; pauseOnConnect: no
    // byte is read before the pod stream is open.
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, onConnection);
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', reject);
      server.on('error', () => {});
      resolve(server);
    });
  });
}

export function describeListenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EADDRINUSE':
      return 'the port is already in use';
    case 'EADDRNOTAVAIL':
      return 'the address is not available on this machine';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)';
    case 'EAFNOSUPPORT':
      return 'this machine has no IPv6';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

export function listenError(where: string, message: string) {
  return usageError(
    `cannot listen on ${where}: ${message}`,
    'pick another local port (LOCAL:PORT, or :PORT for a free one) or another --address',
  );
}
