import { Command, Flags } from '@oclif/core';
import { clusterFlags, probeFlags } from '../src/cli/flags.js';
import { processTerminal } from '../src/cli/terminal.js';
import { assertRequest } from '../src/requests/assert.js';

export default class Assert extends Command {
  static override summary = 'CI gate: check that Services have ready endpoints (and more), waiting up to --timeout for it.';
  static override description = `Without an assertion flag, the assertion is --min-ready 1 (with --port alone: one ready endpoint on that port).

Endpoints count once per backend pod. Selected pods without an endpoint yet count as not ready; terminating endpoints count neither way.

With --timeout, the Services and their EndpointSlices are followed through the watch API (no polling): it passes as soon as every assertion of every Service holds. A Service that does not exist yet is waited for. Progress goes to stderr, one line per change.

Exit codes: 0 every assertion holds, 1 an assertion failed, 2 usage error, 3 cluster unreachable or unauthorized, 4 a Service (or its namespace) does not exist, or -l matches none.`;
  static override usage = ['assert SERVICE... [flags]', 'assert -l SELECTOR [flags]'];
  static override examples = [
    'kubectl svc-trace assert web -n shop',
    'kubectl svc-trace assert web api -n shop --min-ready 2 --no-errors --timeout 2m',
    'kubectl svc-trace assert -l tier=frontend -n shop --all-ready --timeout 90s -o junit > svc-trace.xml',
    'kubectl svc-trace assert svc/web --port http --type LoadBalancer',
  ];
  // Any number of Services: NAME, svc/NAME or service/NAME.
  static override strict = false;
  static override flags = {
    ...clusterFlags,
    selector: Flags.string({ char: 'l', description: 'assert on every Service with these labels (e.g. -l app=web), instead of naming them' }),
    'min-ready': Flags.string({ description: 'at least N endpoints are ready (the default assertion: 1)', helpValue: 'N', helpGroup: 'ASSERTION' }),
    'all-ready': Flags.boolean({ description: 'every endpoint is ready, and there is at least one', helpGroup: 'ASSERTION' }),
    'max-not-ready': Flags.string({ description: 'at most N endpoints are not ready', helpValue: 'N', helpGroup: 'ASSERTION' }),
    type: Flags.string({ description: 'the Service is of this type: ClusterIP, NodePort, LoadBalancer or ExternalName', helpValue: 'TYPE', helpGroup: 'ASSERTION' }),
    port: Flags.string({ description: 'the Service has this port (name or number); readiness then counts only its endpoints', helpValue: 'NAME|NUMBER', helpGroup: 'ASSERTION' }),
    'no-errors': Flags.boolean({ description: 'no error-level finding (the trace is not broken)', helpGroup: 'ASSERTION' }),
    probe: Flags.boolean({ description: 'every probed endpoint accepts a TCP connection on its target port (through the API server\'s port-forward; needs get and create on pods/portforward)', helpGroup: 'ASSERTION' }),
    'probe-limit': probeFlags['probe-limit'],
    'probe-timeout': probeFlags['probe-timeout'],
    timeout: Flags.string({ description: 'wait up to this long for the assertions to hold (e.g. 90s, 2m); 0 = check once', default: '0', helpValue: 'DURATION' }),
    output: Flags.string({ char: 'o', description: 'text|json|junit|markdown (default: text)' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Assert);
    const request = assertRequest(argv as string[], flags);
    const { runAssert } = await import('../src/services/assert.js');
    process.exitCode = await runAssert(request, processTerminal(flags.color));
  }
}
