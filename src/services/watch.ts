// `kubectl svc-trace SERVICE -w`: trace, then trace again whenever the Service or its EndpointSlices
// change (watch API). On a terminal with -o tree the view is redrawn in place; otherwise each new
// trace is printed after the last, as `kubectl get -w` does.

import type { Trace } from '../analyze/model.js';
import { analyze } from '../analyze/trace.js';
import { ExitCode, SvcTraceError, type ExitCodeValue } from '../errors.js';
import type { ServiceTraceRequest } from '../requests/trace.js';
import { connectTo } from './connection.js';
import { renderTrace, type Terminal } from './output.js';

export async function watchTrace(request: ServiceTraceRequest, terminal: Terminal): Promise<ExitCodeValue> {
  const format = request.output;
  const loading = Promise.all([import('../cluster/gather.js'), import('../cluster/follow.js')]);
  const connection = await connectTo(request, terminal);
  const [{ gatherSnapshot }, { followService, debounce }] = await loading;
  const target = { namespace: connection.namespace, name: request.service };
  const traceNow = async () =>
    analyze(await gatherSnapshot(connection.gateway, { ...target, from: request.from, fromNamespace: request.fromNamespace, referrers: true }), { port: request.port });

  const stop = new AbortController();
  const listeners: Array<(trace: Trace, error?: string) => void> = [];
  const tell = (trace: Trace, error?: string) => {
    for (const listener of listeners) listener(trace, error);
  };
  let last: Trace | undefined;
  // A change while the first trace was being gathered: trace again once it is shown.
  let changedEarly = false;
  const refresh = debounce(() => {
    traceNow().then(
      (trace) => {
        last = trace;
        tell(trace);
      },
      (error: unknown) => tell(last!, error instanceof SvcTraceError ? error.message : String(error)),
    );
  }, 250);
  // Listed first, traced next: a change after the lists is seen by the watches, none falls between.
  // Until the first trace, a failure is the command's failure, as it would be without -w.
  let failStart!: (error: unknown) => void;
  const startFailed = new Promise<never>((_resolve, reject) => (failStart = reject));
  startFailed.catch(() => undefined); // trouble after the start is not the start's failure
  const following = followService(
    connection.gateway,
    target,
    {
      onChange: () => {
        if (last) refresh();
        else changedEarly = true;
      },
      // Lost: say so now; back again: trace again (what changed meanwhile, and the warning goes).
      onTrouble: (message, problem) => {
        if (!last) failStart(problem);
        else if (message === undefined) refresh();
        else tell(last, message);
      },
    },
    stop.signal,
  );
  const quit = () => stop.abort();
  try {
    await Promise.race([following.synced, following.done, startFailed]);
    last = await traceNow();
  } catch (error) {
    quit();
    await following.done.catch(() => undefined);
    throw error;
  }
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);

  if (format === 'tree' && terminal.isTTY) {
    const { showLiveTrace } = await import('../ui/live-trace.js');
    const source = { subscribe: (listener: (trace: Trace, error?: string) => void) => void listeners.push(listener), stop: quit };
    const shown = showLiveTrace(source, last, terminal.color);
    if (changedEarly) refresh();
    await Promise.all([shown, following.done]);
  } else {
    terminal.stdout.write(await renderTrace(last, format, terminal));
    listeners.push((trace, error) => {
      if (error) terminal.stderr.write(`warning: ${error}\n`);
      else void renderTrace(trace, format, terminal).then((text) => terminal.stdout.write(`\n${text}`));
    });
    if (changedEarly) refresh();
    await following.done;
  }
  return ExitCode.ok;
}
