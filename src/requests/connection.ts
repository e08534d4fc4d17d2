// Pure: the cluster flags every command takes (src/cli/flags.ts), as the one part that every
// command's request extends. The services turn it into ConnectOptions (src/services/connection.ts).

import { parseDuration } from '../kube/duration.js';

// The cluster flags as oclif parses them.
export interface ConnectionFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  'request-timeout'?: string;
  'insecure-skip-tls-verify'?: boolean;
  debug?: boolean;
}

export interface ConnectionRequest {
  namespace?: string; // -n; absent: the context's namespace, else "default"
  context?: string;
  kubeconfig?: string;
  requestTimeout?: string; // a duration, checked before any request when the command goes live
  insecureSkipTlsVerify?: boolean;
  debug: boolean; // --debug: each API request and the request count on stderr; stack traces
}

export function connectionRequest(flags: ConnectionFlags): ConnectionRequest {
  return {
    namespace: flags.namespace,
    context: flags.context,
    kubeconfig: flags.kubeconfig,
    requestTimeout: flags['request-timeout'],
    insecureSkipTlsVerify: flags['insecure-skip-tls-verify'],
    debug: flags.debug ?? false,
  };
}

// The last check of a request that will contact the cluster (offline, -f, never reads it).
export function checkRequestTimeout(request: ConnectionRequest): void {
  if (request.requestTimeout !== undefined) parseDuration(request.requestTimeout, '--request-timeout');
}
