// The API server's refusals of a Service (from the server-side dry run or the create itself),
// as one sentence and a hint. Exit 1, as kubectl create exits for them: the request was well formed,
// and the cluster said no.

import { ApiStatusError, ExitCode, SvcTraceError } from '../errors.js';
import type { Service } from '../kube/types.js';

// A refusal is final for this Service as it stands; the wizard shows it and lets the user change it.
export class ServiceRefused extends SvcTraceError {
  constructor(message: string, hint: string) {
    super(message, hint, ExitCode.broken);
    this.name = 'ServiceRefused';
  }
}

export function alreadyExists(namespace: string, name: string): ServiceRefused {
  return new ServiceRefused(
    `service "${name}" already exists in namespace "${namespace}"; expose never replaces a Service`,
    `choose another name with --name, or look at the existing one: kubectl svc-trace ${name} -n ${namespace}`,
  );
}

// Hints for the field errors users run into, by what the API server says.
function hintFor(message: string): string {
  if (/nodePort.*already allocated/.test(message)) {
    return 'another Service holds that node port (kubectl get services -A | grep PORT shows which): pass another --node-port, or leave it out and the API server picks a free one';
  }
  if (/nodePort.*(not in the valid range|range of valid ports)/.test(message)) {
    return 'node ports lie in the cluster\'s node port range (30000-32767 unless the API server\'s --service-node-port-range says otherwise): pass one in it, or leave --node-port out';
  }
  if (/spec\.clusterIPs?\b.*already allocated/.test(message)) {
    return 'another Service holds that cluster IP: pass another --cluster-ip, or leave it out and the API server picks one';
  }
  if (/spec\.clusterIPs?\b/.test(message)) {
    return '--cluster-ip must be None or a free address in the cluster\'s Service CIDR; leave it out and the API server picks one';
  }
  if (/metadata\.name/.test(message)) return 'pass --name with a DNS-1035 label: lower-case letters, digits and "-", starting with a letter';
  if (/spec\.ports/.test(message)) return 'check the --port, --target-port and --protocol values against the message';
  return 'change what the message names, and check again with --dry-run=server';
}

// undefined when the error is not a refusal of the Service (unreachable cluster, forbidden, ...).
export function refusalOf(error: unknown, service: Service): ServiceRefused | undefined {
  if (!(error instanceof ApiStatusError)) return undefined;
  const namespace = service.metadata.namespace ?? 'default';
  if (error.status === 409 && error.reason === 'AlreadyExists') return alreadyExists(namespace, service.metadata.name);
  if (error.status === 422 || error.reason === 'Invalid') {
    const said = error.apiMessage ?? error.message;
    // `Service "web" is invalid: spec.ports[0].nodePort: Invalid value: ...` — the part after the name.
    const detail = said.replace(/^Service "[^"]*" is invalid: /, '').replace(/^\[(.*)\]$/, '$1');
    return new ServiceRefused(`the API server refuses service "${service.metadata.name}": ${detail}`, hintFor(detail));
  }
  return undefined;
}
