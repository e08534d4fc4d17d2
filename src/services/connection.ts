// A command's connection request (src/requests/connection.ts) as src/cluster/kubeconfig.ts takes it:
// --debug's lines and the "still waiting" note go to the command's stderr.

import type { Connection, ConnectOptions } from '../cluster/kubeconfig.js';
import type { ConnectionRequest } from '../requests/connection.js';
import type { Terminal } from './output.js';

export function connectOptions(request: ConnectionRequest, terminal: Terminal): ConnectOptions {
  return {
    namespace: request.namespace,
    context: request.context,
    kubeconfig: request.kubeconfig,
    requestTimeout: request.requestTimeout,
    insecureSkipTlsVerify: request.insecureSkipTlsVerify,
    // On a terminal, a request that keeps the user waiting says so (once).
    waiting: terminal.stderrIsTTY ? (line) => terminal.stderr.write(`${line}\n`) : undefined,
    debug: request.debug ? (line) => terminal.stderr.write(`debug: ${line}\n`) : undefined,
  };
}

// Loads the kubeconfig (and the rest of src/cluster/) only when a command goes live.
export async function connectTo(request: ConnectionRequest, terminal: Terminal, deadline?: ConnectOptions['deadline']): Promise<Connection> {
  const { connect } = await import('../cluster/kubeconfig.js');
  return connect({ ...connectOptions(request, terminal), deadline });
}
