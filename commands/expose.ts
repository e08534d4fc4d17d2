import { Args, Command, Flags } from '@oclif/core';
import { clusterFlags } from '../src/cli/flags.js';
import { processTerminal } from '../src/cli/terminal.js';
import { exposeRequest } from '../src/requests/expose.js';

export default class Expose extends Command {
  static override summary = 'Create a Service for a workload, with selector and ports read from its pod template (a wizard on a terminal).';
  static override description = `TYPE is deployment (deploy), statefulset (sts), daemonset (ds), replicaset (rs) or pod (po).

The selector is the workload's spec.selector.matchLabels (a selector with matchExpressions is refused: pass --selector); for a pod, its labels without pod-template-hash, controller-revision-hash and pod-template-generation. Container ports become Service ports; a named container port becomes a named targetPort.

On a terminal, what the flags leave open is asked by a wizard: the ports (when no --port is given and several container ports are declared), the type (when neither --type nor --cluster-ip None is given), and the name. It shows the Service as YAML and a preview trace of the pods that would back it, and asks before creating. Without a terminal, --type defaults to ClusterIP (as with kubectl expose), another missing choice is an error that names the flag, and creating needs --yes.

Before creating, a server-side dry run lets the API server check the Service; an existing Service is never replaced. After creating, the new Service is traced (once the EndpointSlice controller has listed its pods, at most 10s later).

Exit codes: 0 created (or printed with --dry-run), 1 the API server refused the Service (its name is taken, a node port is in use, a field is invalid) or the wizard was cancelled, 2 usage error, 3 cluster unreachable or unauthorized, 4 the workload (or namespace) does not exist.`;
  static override usage = ['expose TYPE/NAME [flags]'];
  static override examples = [
    'kubectl svc-trace expose deploy/web -n shop',
    'kubectl svc-trace expose deploy/web --port http --type ClusterIP --yes',
    'kubectl svc-trace expose sts/db --port postgres --cluster-ip None --yes',
    'kubectl svc-trace expose deploy/web --port 80:http --type NodePort --node-port 30080 --dry-run=server -o yaml',
  ];
  static override args = {
    workload: Args.string({ description: 'the workload: TYPE/NAME (or TYPE NAME)', ignoreStdin: true }),
    name: Args.string({ description: 'the NAME, in the TYPE NAME form', hidden: true, ignoreStdin: true }),
  };
  static override flags = {
    ...clusterFlags,
    port: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'Service port(s): PORT or PORT:TARGET, repeatable or comma-separated; PORT may name a container port', helpValue: 'PORT[:TARGET]' }),
    'target-port': Flags.string({ description: 'container port (number or name) of the single Service port', helpValue: 'PORT' }),
    protocol: Flags.string({ description: 'TCP, UDP or SCTP: the protocol of the --port ports; without --port, expose only container ports of this protocol' }),
    type: Flags.string({ description: 'ClusterIP, NodePort or LoadBalancer' }),
    name: Flags.string({ description: "the Service's name (default: the workload's)" }),
    'cluster-ip': Flags.string({ description: 'None for a headless Service (or an address in the Service CIDR)', helpValue: 'None|IP' }),
    'node-port': Flags.string({ multiple: true, multipleNonGreedy: true, description: 'node port of each Service port, in order (NodePort, LoadBalancer)', helpValue: 'PORT' }),
    'external-traffic-policy': Flags.string({ description: 'Cluster or Local (NodePort, LoadBalancer)' }),
    'session-affinity': Flags.string({ description: 'None or ClientIP' }),
    selector: Flags.string({ description: 'the Service selector, KEY=VALUE,... (default: read from the workload)' }),
    'dry-run': Flags.option({ options: ['none', 'client', 'server'] as const, default: 'none', description: 'client: print the Service; server: print it as the API server would create it; neither creates' })(),
    output: Flags.string({ char: 'o', description: 'print the Service as yaml, json or name (default with --dry-run: yaml; without: "created" and a trace)' }),
    yes: Flags.boolean({ char: 'y', description: 'create without asking (needed without a terminal)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Expose);
    const request = exposeRequest(args, flags, { interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) });
    const { runExpose } = await import('../src/services/expose.js');
    process.exitCode = await runExpose(request, processTerminal(flags.color), process.stdin);
  }
}
