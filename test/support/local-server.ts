// A TCP server on 127.0.0.1, on a free port, that plays a pod's app in the forward and probe tests
// (unit and end to end). close() destroys the connections still open, so that it stops at once.

import net, { type AddressInfo } from 'node:net';

export interface LocalServer {
  port: number;
  close: () => Promise<void>;
}

export async function listenLocal(onConnection: (socket: net.Socket) => void, options: net.ServerOpts = {}): Promise<LocalServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(options, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
