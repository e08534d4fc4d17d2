// The flags every command takes (kubectl-compatible). What they mean is src/requests/'s: each
// command turns its parsed flags into one request there.

import { Flags } from '@oclif/core';
import { failOnLevels } from '../requests/trace.js';

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
  options: failOnLevels,
  description: 'list mode: exit 1 when a Service is broken (error) or at least degraded (warning); the table is printed either way (default: none)',
})();

// --probe and its limits (trace, explain, assert); checked by parseProbeOptions.
export const probeFlags = {
  probe: Flags.boolean({ description: 'open one TCP connection to each ready endpoint\'s target port through the API server\'s port-forward (needs get and create on pods/portforward)' }),
  'probe-limit': Flags.string({ description: 'probe at most N endpoints (default 10)', helpValue: 'N' }),
  'probe-timeout': Flags.string({ description: 'how long each probe waits for an answer (default 3s)', helpValue: 'DURATION' }),
};
