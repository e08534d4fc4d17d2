// Pure: `kubectl svc-trace assert`'s command line → one request: what to assert
// (src/assert/options.ts) and how to reach the cluster, checked before anything is loaded.

import { parseAssertRequest, type AssertRequest } from '../assert/options.js';
import { checkRequestTimeout, connectionRequest, type ConnectionFlags, type ConnectionRequest } from './connection.js';

export interface AssertFlags extends ConnectionFlags {
  selector?: string;
  'min-ready'?: string;
  'all-ready'?: boolean;
  'max-not-ready'?: string;
  type?: string;
  port?: string;
  'no-errors'?: boolean;
  probe?: boolean;
  'probe-limit'?: string;
  'probe-timeout'?: string;
  timeout?: string;
  output?: string;
}

export interface AssertCommandRequest extends ConnectionRequest, AssertRequest {}

export function assertRequest(services: string[], flags: AssertFlags): AssertCommandRequest {
  const request = {
    ...connectionRequest(flags),
    ...parseAssertRequest({
      services,
      selector: flags.selector,
      minReady: flags['min-ready'],
      allReady: flags['all-ready'],
      maxNotReady: flags['max-not-ready'],
      type: flags.type,
      port: flags.port,
      noErrors: flags['no-errors'],
      probe: flags.probe,
      probeLimit: flags['probe-limit'],
      probeTimeout: flags['probe-timeout'],
      timeout: flags.timeout,
      output: flags.output,
    }),
  };
  checkRequestTimeout(request);
  return request;
}
