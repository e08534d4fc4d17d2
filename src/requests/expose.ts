// Pure: `kubectl svc-trace expose`'s command line → one request: the Service asked for
// (src/expose/request.ts), whether a wizard may ask what the flags leave open, and how to reach the
// cluster — checked before anything is loaded or contacted.

import { usageError } from '../errors.js';
import { parseExposeRequest, type DryRun, type ExposeRequest } from '../expose/request.js';
import { checkRequestTimeout, connectionRequest, type ConnectionFlags, type ConnectionRequest } from './connection.js';

export interface ExposeCommandFlags extends ConnectionFlags {
  port?: string[];
  'target-port'?: string;
  protocol?: string;
  type?: string;
  name?: string;
  'cluster-ip'?: string;
  'node-port'?: string[];
  'external-traffic-policy'?: string;
  'session-affinity'?: string;
  selector?: string;
  'dry-run': DryRun;
  output?: string;
  yes?: boolean;
}

export interface ExposeCommandRequest extends ConnectionRequest, ExposeRequest {
  // stdin and stdout are terminals: the wizard can run and confirmation can be asked.
  interactive: boolean;
}

// `workload`, `name`: TYPE/NAME, or kubectl's TYPE NAME form.
export function exposeRequest(args: { workload?: string; name?: string }, flags: ExposeCommandFlags, surroundings: { interactive: boolean }): ExposeCommandRequest {
  const service = parseExposeRequest({
    workload: args.workload,
    workloadName: args.name,
    port: flags.port ?? [],
    targetPort: flags['target-port'],
    protocol: flags.protocol,
    type: flags.type,
    name: flags.name,
    clusterIP: flags['cluster-ip'],
    nodePort: flags['node-port'] ?? [],
    externalTrafficPolicy: flags['external-traffic-policy'],
    sessionAffinity: flags['session-affinity'],
    selector: flags.selector,
    dryRun: flags['dry-run'],
    output: flags.output,
    yes: flags.yes ?? false,
  });
  if (service.dryRun === 'none' && !surroundings.interactive && !service.yes) {
    throw usageError('creating a Service needs a confirmation, and there is no terminal to ask on', 'pass --yes to create it, or --dry-run=client to print it without creating anything');
  }
  const request = { ...connectionRequest(flags), ...service, interactive: surroundings.interactive };
  checkRequestTimeout(request);
  return request;
}
