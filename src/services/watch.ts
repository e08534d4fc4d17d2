// `kubectl svc-trace SERVICE -w`: trace, then trace again whenever the Service or its EndpointSlices
// change (watch API). On a terminal with -o tree the view is redrawn in place; otherwise each new
// trace is printed after the last, as `kubectl get -w` does.

import type { Trace } from '../analyze/model.js';
import { analyze } from '../analyze/trace.js';
import { ExitCode, SvcTraceError, type ExitCodeValue } from '../errors.js';
import { renderTrace, traceFormat, type Terminal } from './output.js';
import type { TraceOptions } from './trace.js';

export async function watchTrace(options: TraceOptions & { service: string }, terminal: Terminal): Promise<ExitCodeValue> {
  const format = traceFormat(options.output, terminal);
  const [{ connect }, { gatherSnapshot }, { followService, debounce }] = await Promise.all([
    import('../cluster/kubeconfig.js'),
    import('../cluster/gather.js'),
    import('../cluster/follow.js'),
  ]);
  const connection = await connect(options);
  const target = { namespace: connection.namespace, name: options.service };
  const traceNow = async () =>
    analyze(await gatherSnapshot(connection.gateway, { ...target, from: options.from }), { port: options.port });

  const stop = new AbortController();
  const listeners: Array<(trace: Trace, error?: string) => void> = [];
  let last = await traceNow();
  const refresh = debounce(() => {
    traceNow().then(
      (trace) => {
        last = trace;
        for (const listener of listeners) listener(trace);
      },
      (error: unknown) => {
        const message = error instanceof SvcTraceError ? error.message : String(error);
        for (const listener of listeners) listener(last, message);
      },
    );
  }, 250);
  const following = followService(connection.gateway, target, refresh, stop.signal);
  const quit = () => stop.abort();
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);

  if (format === 'tree' && terminal.isTTY) {
    const { showLiveTrace } = await import('../ui/live-trace.js');
    const source = { subscribe: (listener: (trace: Trace, error?: string) => void) => void listeners.push(listener), stop: quit };
    await Promise.all([showLiveTrace(source, last, terminal.color), following]);
  } else {
    terminal.stdout.write(await renderTrace(last, format, terminal));
    listeners.push((trace, error) => {
      if (error) terminal.stderr.write(`warning: ${error}\n`);
      else void renderTrace(trace, format, terminal).then((text) => terminal.stdout.write(`\n${text}`));
    });
    await following;
  }
  return ExitCode.ok;
}
