import { Args, Command, Flags } from '@oclif/core';
import { clusterFlags } from '../src/cli/flags.js';
import { processTerminal } from '../src/cli/terminal.js';
import { forwardRequest } from '../src/requests/forward.js';

export default class Forward extends Command {
  static override summary = 'Port-forward to a Service, not to one pod: new connections go to ready endpoints and survive pod churn.';
  static override description = `PORT is a port of the Service (number or name); LOCAL defaults to the same number, and :PORT picks a free local port.

Each new local connection goes to a ready, non-terminating endpoint (round robin), on that pod's own target port, through the API server's port-forward (as kubectl port-forward). The endpoints are followed through the watch API: when a pod goes away or stops being ready, its connections close and new ones go to the others. With no ready endpoint, the listener stays up and new connections wait (--wait-timeout) for one.

On a terminal: a live dashboard (q or Ctrl-C stops). Otherwise one line per event (-o json: one JSON object per line). Ctrl-C or SIGTERM closes everything and exits 0.

TCP only: UDP and SCTP ports, Services without a selector and ExternalName Services are refused (exit 2).`;
  static override usage = ['forward SERVICE [LOCAL:]PORT... [flags]'];
  static override examples = [
    'kubectl svc-trace forward web 8080 -n shop',
    'kubectl svc-trace forward svc/web 9000:http :9090',
    'kubectl svc-trace forward web :80 -o json',
    'kubectl svc-trace forward web 8080 --address localhost,10.0.0.5',
  ];
  static override strict = false;
  static override args = {
    service: Args.string({ description: 'the Service: NAME, svc/NAME or service/NAME', required: true, ignoreStdin: true }),
  };
  static override flags = {
    ...clusterFlags,
    address: Flags.string({ description: 'addresses to listen on (comma separated): IP addresses or localhost (127.0.0.1 and ::1)', default: 'localhost' }),
    'wait-timeout': Flags.string({ description: 'how long a new connection waits for a ready endpoint before it is closed (e.g. 30s, 2m)', default: '30s', helpValue: 'DURATION' }),
    output: Flags.string({ char: 'o', description: 'text|json: one line or one JSON object per event (default: a dashboard on a terminal, else text)' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Forward);
    const terminal = processTerminal(flags.color);
    const request = forwardRequest(argv as string[], flags, { stdoutIsTerminal: terminal.isTTY });
    const { runForward } = await import('../src/services/forward.js');
    process.exitCode = await runForward(request, terminal);
  }
}
