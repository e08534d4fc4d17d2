// The flags every command takes (kubectl-compatible), and their translation into plain options.

import { Flags } from '@oclif/core';
import { usageError } from '../errors.js';
import { requireValidName } from '../kube/names.js';
import type { ProbeOptions } from '../probe/model.js';
import { parseProbeOptions } from '../probe/options.js';

export const clusterFlags = {
  namespace: Flags.string({ char: 'n', description: 'namespace (default: the context\'s namespace, else "default")', helpGroup: 'CLUSTER' }),
  context: Flags.string({ description: 'the kubeconfig context to use', helpGroup: 'CLUSTER' }),
  kubeconfig: Flags.string({ description: 'path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)', helpGroup: 'CLUSTER' }),
  'request-timeout': Flags.string({ description: 'how long to wait for one API request or credential plugin run (e.g. 10s, 1m; 0 = the defaults)', default: '0', helpGroup: 'CLUSTER' }),
  'insecure-skip-tls-verify': Flags.boolean({
    description: "do not check the server's certificate for validity (kubectl's flag): this makes the HTTPS connection insecure",
    helpGroup: 'CLUSTER',
  }),
  color: Flags.option({ options: ['auto', 'always', 'never'] as const, default: 'auto', description: 'colour in human output (NO_COLOR is honoured)' })(),
  debug: Flags.boolean({ description: 'print each API request and the request count to stderr; show stack traces' }),
};

// `NAME`, `svc/NAME`, `service/NAME` or `services/NAME`, as kubectl accepts them; the name must be
// one the API server accepts for a Service (a DNS-1035 label), checked before any request.
export function parseServiceArgument(argument: string): string {
  const match = /^(?:(svc|service|services)\/)?([^/]*)$/.exec(argument);
  if (!match) {
    const kind = argument.split('/')[0];
    throw usageError(`"${argument}" is not a Service (it names a ${kind})`, 'write the Service as NAME, svc/NAME or service/NAME');
  }
  requireValidName(match[2]!, 'Service');
  return match[2]!;
}

// --color auto: colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
export function useColor(flag: 'auto' | 'always' | 'never', stream: NodeJS.WriteStream): boolean {
  if (flag === 'always') return true;
  if (flag === 'never') return false;
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

// What trace and explain share beyond the cluster flags.
export const analysisFlags = {
  from: Flags.string({
    description: 'where the packet starts: [NAMESPACE/]KIND/NAME (pod, deploy, sts, ds, rs, job, node) or external (default: a pod in the namespace)',
  }),
  'from-namespace': Flags.string({ description: 'start from an unlabelled pod in this namespace (with --from pod/NAME: the pod\'s namespace)' }),
  port: Flags.string({ description: 'follow one Service port (name or number)' }),
  filename: Flags.string({ char: 'f', multiple: true, description: 'read manifests (file, directory or - for stdin) instead of the cluster' }),
};

// List mode's CI gate (kubectl svc-trace [-A] [-f PATH] --fail-on error).
export const failOnFlag = Flags.option({
  options: ['none', 'error', 'warning'] as const,
  description: 'list mode: exit 1 when a Service is broken (error) or at least degraded (warning); the table is printed either way (default: none)',
})();

// The cluster flags as the services take them (ConnectOptions of src/cluster/kubeconfig.ts).
export function clusterOptions(flags: {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  'request-timeout'?: string;
  'insecure-skip-tls-verify'?: boolean;
  debug?: boolean;
}): {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  requestTimeout?: string;
  insecureSkipTlsVerify?: boolean;
  waiting?: (line: string) => void;
  debug?: (line: string) => void;
} {
  return {
    namespace: flags.namespace,
    context: flags.context,
    kubeconfig: flags.kubeconfig,
    requestTimeout: flags['request-timeout'],
    insecureSkipTlsVerify: flags['insecure-skip-tls-verify'],
    // On a terminal, a request that keeps the user waiting says so (once).
    waiting: process.stderr.isTTY ? (line) => process.stderr.write(`${line}\n`) : undefined,
    debug: flags.debug ? (line) => process.stderr.write(`debug: ${line}\n`) : undefined,
  };
}

// --probe and its limits (trace, explain, assert); checked by parseProbeOptions.
export const probeFlags = {
  probe: Flags.boolean({ description: 'open one TCP connection to each ready endpoint\'s target port through the API server\'s port-forward (needs get and create on pods/portforward)' }),
  'probe-limit': Flags.string({ description: 'probe at most N endpoints (default 10)', helpValue: 'N' }),
  'probe-timeout': Flags.string({ description: 'how long each probe waits for an answer (default 3s)', helpValue: 'DURATION' }),
};

export function probeOptions(flags: { probe?: boolean; 'probe-limit'?: string; 'probe-timeout'?: string }): ProbeOptions | undefined {
  return parseProbeOptions({ probe: flags.probe, probeLimit: flags['probe-limit'], probeTimeout: flags['probe-timeout'] });
}
