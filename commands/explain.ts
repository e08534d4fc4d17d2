import { Args, Command, Flags } from '@oclif/core';
import { analysisFlags, clusterFlags, probeFlags } from '../src/cli/flags.js';
import { processTerminal } from '../src/cli/terminal.js';
import { explainRequest } from '../src/requests/explain.js';

export default class Explain extends Command {
  static override summary = 'Explain a Service in plain English: what it is, how it is reached, who backs it, what is wrong.';
  static override usage = ['explain SERVICE [flags]'];
  static override examples = ['kubectl svc-explain web -n shop', 'kubectl svc-trace explain web -f manifests/'];
  static override args = {
    service: Args.string({ description: 'the Service (NAME, svc/NAME), or ingress/NAME, httproute/NAME, grpcroute/NAME', required: true, ignoreStdin: true }),
  };
  static override flags = {
    ...clusterFlags,
    ...analysisFlags,
    ...probeFlags,
    output: Flags.string({ char: 'o', description: 'text|json (default: text)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Explain);
    const request = explainRequest(args.service, flags);
    const { runExplain } = await import('../src/services/explain.js');
    process.exitCode = await runExplain(request, processTerminal(flags.color));
  }
}
