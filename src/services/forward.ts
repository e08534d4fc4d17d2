// `kubectl svc-trace forward SERVICE [LOCAL:]PORT...`: a port-forward to the Service rather than to
// one pod. Each new local connection goes to a ready endpoint (round robin) through the API
// server's pods/portforward; the endpoints are followed through the watch API, so connections
// survive pod churn. Runs until Ctrl-C, SIGTERM or `q` on the dashboard, then exits 0.

import { ExitCode, usageError, type ExitCodeValue } from '../errors.js';
import type { Service } from '../kube/types.js';
import { parseDuration } from '../kube/duration.js';
import type { ForwardEvent, ForwardEventInput } from '../forward/events.js';
import { eventJson, formatEvent } from '../forward/log.js';
import { checkDistinctLocalPorts, matchServicePort } from '../forward/port-spec.js';
import type { PortForwarder } from '../forward/forwarder.js';
import type { ForwardView } from '../forward/view.js';
import type { ForwardRequest } from '../requests/forward.js';
import { connectOptions } from './connection.js';
import type { Terminal } from './output.js';

const recentEvents = 8;

// `signal` stops the forward as Ctrl-C would (tests and embedding); signals are handled too.
export async function runForward(request: ForwardRequest, terminal: Terminal, signal?: AbortSignal): Promise<ExitCodeValue> {
  const { display, addresses, waitMs } = request;
  const options = connectOptions(request, terminal);
  const [{ connect }, { getService }, { listEndpointSlices, followEndpointSlices }, { PortForwarder }, { portForwardTransport }] =
    await Promise.all([
      import('../cluster/kubeconfig.js'),
      import('../cluster/gather.js'),
      import('../cluster/follow.js'),
      import('../forward/forwarder.js'),
      import('../forward/wire/transport.js'),
    ]);
  const connection = await connect(options);
  const { gateway, namespace } = connection;
  const service = await getService(gateway, namespace, request.service);
  refuseUnforwardable(service);
  const forwarded = request.ports.map((spec) => matchServicePort(service, spec));
  checkDistinctLocalPorts(forwarded);
  const initial = await listEndpointSlices(gateway, namespace, request.service);
  refuseSelectorless(service, initial.items.some((slice) => (slice.endpoints ?? []).some((e) => e.targetRef?.kind === 'Pod')));

  const recent: string[] = [];
  let notice: string | undefined;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const emit = (event: ForwardEvent) => {
    if (display === 'json') terminal.stdout.write(`${eventJson(event)}\n`);
    else if (display === 'text') (isWarning(event) ? terminal.stderr : terminal.stdout).write(`${formatEvent(event)}\n`);
    else {
      recent.push(`${new Date(event.time).toLocaleTimeString('en-GB')} ${formatEvent(event)}`);
      if (recent.length > recentEvents) recent.shift();
      changed();
    }
  };
  const emitFor = (input: ForwardEventInput, port?: string) => {
    emit({ time: new Date().toISOString(), ...(port === undefined ? {} : { port }), ...input } as ForwardEvent);
  };

  let connections = 0;
  const transport = portForwardTransport(gateway, {
    timeoutMs: request.requestTimeout ? parseDuration(request.requestTimeout, '--request-timeout') : 0,
    debug: options.debug,
  });
  const forwarders: PortForwarder[] = [];
  const closeAll = async () => {
    await Promise.all(forwarders.map((forwarder) => forwarder.close()));
    transport.close();
  };
  try {
    for (const port of forwarded) {
      const forwarder = new PortForwarder({
        namespace,
        service: request.service,
        forwarded: port,
        addresses,
        waitMs,
        openStream: transport.open,
        emit: emitFor,
        nextConnection: () => (connections += 1),
      });
      forwarders.push(forwarder);
      await forwarder.listen();
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  for (const forwarder of forwarders) forwarder.update(initial.items);

  const stop = new AbortController();
  const quit = () => stop.abort();
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  signal?.addEventListener('abort', quit, { once: true });
  if (signal?.aborted) quit();

  // The endpoints are followed from the first list on; losing the watch and regaining it are told.
  const following = followEndpointSlices(
    gateway,
    { namespace, service: request.service },
    {
      onSlices: (slices) => {
        for (const forwarder of forwarders) forwarder.update(slices);
        changed();
      },
      onTrouble: (message) => {
        emitFor(message === undefined ? { type: 'watch', state: 'regained', message: `watching the EndpointSlices of service ${request.service} again` } : { type: 'watch', state: 'lost', message });
        notice = message;
        changed();
      },
    },
    { signal: stop.signal, initial },
  ).catch((error: unknown) => {
    // Nothing a retry mends (the role lost its watch on endpointslices): forward what is known.
    if (stop.signal.aborted) return;
    const message = `stopped following the endpoints: ${error instanceof Error ? error.message : String(error)}; new connections go to the endpoints known until now`;
    notice = message;
    emitFor({ type: 'error', message });
    changed();
  });

  const stopped = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  try {
    if (display === 'dashboard') {
      const { showForwardDashboard } = await import('../ui/forward-dashboard.js');
      const view = (): ForwardView => ({
        namespace,
        service: request.service,
        ports: forwarders.map((forwarder) => forwarder.view()),
        recent: [...recent],
        ...(notice ? { notice } : {}),
      });
      await showForwardDashboard({ view, subscribe: (listener) => subscribe(listeners, listener), stop: quit, stopped }, terminal.color);
    } else {
      await stopped;
    }
  } finally {
    stop.abort();
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
    await Promise.all([closeAll(), following]);
  }
  return ExitCode.ok;
}

function subscribe(listeners: Set<() => void>, listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function isWarning(event: ForwardEvent): boolean {
  return event.type === 'listen-failed' || event.type === 'error' || event.type === 'watch';
}

// The port-forward API reaches pods: a Service without pods behind it cannot be forwarded to.
function refuseUnforwardable(service: Service): void {
  const name = service.metadata.name;
  if (service.spec.type === 'ExternalName') {
    throw usageError(
      `service "${name}" is of type ExternalName (an alias for ${service.spec.externalName ?? 'another name'}): it has no pods to forward to`,
      `connect to ${service.spec.externalName ?? 'the name it points to'} directly; forward reaches Services backed by pods`,
    );
  }
}

function refuseSelectorless(service: Service, hasPodEndpoints: boolean): void {
  const selects = Object.keys(service.spec.selector ?? {}).length > 0;
  if (selects || hasPodEndpoints) return;
  const name = service.metadata.name;
  throw usageError(
    `service "${name}" has no selector: its endpoints are not pods, and the port-forward API reaches only pods`,
    `connect to the endpoint addresses directly (kubectl get endpointslices -l kubernetes.io/service-name=${name}), or forward to a pod with kubectl port-forward pod/NAME`,
  );
}
