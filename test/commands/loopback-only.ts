// Preloaded (node --import) into every command under test: a connection to anything but the
// loopback range fails at once, with a line on stderr that the tests look for, and DNS queries
// go to 127.0.0.1, so that no test can reach a real cluster, resolver or registry.

import dns from 'node:dns';
import net from 'node:net';

const marker = 'loopback guard: refused'; // run.ts looks for it

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\./.test(host);

dns.setServers(['127.0.0.1']);
dns.promises.setServers(['127.0.0.1']);

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
const connect = net.Socket.prototype.connect as unknown as Connect;

// The destination of socket.connect(options | [options, callback] | port, host | path).
function destination(args: unknown[]): { host: string; port: string } | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    const options = first as { host?: string; port?: number | string; path?: string };
    if (options.path !== undefined) return undefined; // a local socket
    return { host: options.host ?? 'localhost', port: String(options.port ?? '') };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: String(first) };
  }
  return undefined;
}

(net.Socket.prototype as unknown as { connect: Connect }).connect = function (this: net.Socket, ...args: unknown[]) {
  const target = destination(args);
  if (target && !isLoopback(target.host)) {
    process.stderr.write(`${marker} a connection to ${target.host}:${target.port}\n`);
    const error = Object.assign(new Error(`connect ECONNREFUSED ${target.host}:${target.port} (loopback guard)`), { code: 'ECONNREFUSED' });
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};
