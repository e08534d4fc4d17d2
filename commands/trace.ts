import { Args, Command, Flags } from '@oclif/core';
import { analysisFlags, clusterFlags, failOnFlag, probeFlags } from '../src/cli/flags.js';
import { processTerminal } from '../src/cli/terminal.js';
import { traceRequest } from '../src/requests/trace.js';

export default class Trace extends Command {
  static override summary = 'Trace every hop from a client to the pods behind a Service, and say where it breaks.';
  static override description = `Without SERVICE: a health table of every Service in the namespace (-A: all namespaces).
With ingress/NAME, httproute/NAME or grpcroute/NAME: from that entry to each backend Service, and on through its hops.

Other commands:
  kubectl svc-trace explain SERVICE   the same analysis in plain English (also: kubectl svc-explain)
  kubectl svc-trace assert SERVICE... CI gate: wait until a Service has ready endpoints
  kubectl svc-trace forward SERVICE PORT...  port-forward to the Service that survives pod churn
  kubectl svc-trace expose TYPE/NAME  create a correct Service for a workload (wizard on a terminal)

Exit codes: 0 healthy or degraded, 1 broken (list mode: only with --fail-on), 2 usage error, 3 cluster unreachable or unauthorized, 4 not found.`;
  static override usage = ['[SERVICE] [flags]'];
  static override examples = [
    'kubectl svc-trace web -n shop',
    'kubectl svc-trace svc/web --from deploy/frontend --port http',
    'kubectl svc-trace ingress/shop -n shop',
    'kubectl svc-trace httproute/web -n shop -o json',
    'kubectl svc-trace -A',
    'kubectl svc-trace web -f manifests/ -o json',
    'kubectl svc-trace -A -f k8s/ --fail-on error -o sarif > svc-trace.sarif',
    'kubectl svc-trace web -n shop -o mermaid',
  ];
  static override args = {
    service: Args.string({ description: 'the Service (NAME, svc/NAME), or ingress/NAME, httproute/NAME, grpcroute/NAME', ignoreStdin: true }),
  };
  static override flags = {
    ...clusterFlags,
    'all-namespaces': Flags.boolean({ char: 'A', description: 'list Services of every namespace (list mode)' }),
    output: Flags.string({ char: 'o', description: 'text|tree|wide|json|yaml|markdown|mermaid|sarif (default: tree on a terminal, else text; mermaid: one Service only)' }),
    'fail-on': failOnFlag,
    ...analysisFlags,
    ...probeFlags,
    watch: Flags.boolean({ char: 'w', description: 'keep the trace live: redraw when the Service or its endpoints change (q or Ctrl-C quits)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Trace);
    const terminal = processTerminal(flags.color);
    const request = traceRequest(args.service, flags, { version: this.config.version, stdoutIsTerminal: terminal.isTTY });
    const { runTrace } = await import('../src/services/trace.js');
    process.exitCode = await runTrace(request, terminal);
  }
}
