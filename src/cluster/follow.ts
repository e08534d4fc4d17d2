// What svc-trace follows through the watch API, each a list-then-watch (list-watch.ts): one
// Service and its EndpointSlices (trace -w, assert --timeout: pod readiness, label and port changes
// all reach the slices, as the EndpointSlice controller rewrites them), the Services a label
// selector picks (assert -l), and a Service's EndpointSlices alone (forward, expose's wait).

import { formatLabels } from '../kube/labels.js';
import type { EndpointSlice, Pod, Service } from '../kube/types.js';
import type { Gateway, ListResult } from './gateway.js';
import { listWatch, type ListWatchOptions } from './list-watch.js';
import { paths } from './lookups.js';

export interface ChangeHandlers {
  // Something the trace reads changed (a fresh list after 410 Gone counts as a change).
  onChange: () => void;
  // Following broke and is being retried (a sentence, and the error), or works again (undefined).
  onTrouble?: (message: string | undefined, problem?: unknown) => void;
}

export interface Following {
  // Resolves once everything followed has been listed: changes after that are reported.
  synced: Promise<void>;
  // Resolves when the signal aborts; rejects with an error no retry mends (403, 404, ...).
  done: Promise<void>;
}

export interface SliceHandlers {
  // Every current EndpointSlice of the Service: after each list and after each change.
  onSlices: (slices: EndpointSlice[], cause: 'listed' | 'changed') => void;
  onTrouble?: (message: string | undefined, problem?: unknown) => void;
}

const sliceSelector = (service: string) => ({ labelSelector: `kubernetes.io/service-name=${service}` });

export function followService(gateway: Gateway, target: { namespace: string; name: string }, handlers: ChangeHandlers, signal: AbortSignal): Following {
  const { namespace, name } = target;
  return followChanges(
    gateway,
    [
      { path: paths.services(namespace), query: { fieldSelector: `metadata.name=${name}` }, what: `service ${name}` },
      { path: paths.endpointSlices(namespace), query: sliceSelector(name), what: `the EndpointSlices of service ${name}` },
    ],
    handlers,
    signal,
  );
}

// The Services of a namespace that a label selector picks: one joining or leaving is a change.
export function followSelectedServices(gateway: Gateway, target: { namespace: string; labelSelector: string }, handlers: ChangeHandlers, signal: AbortSignal): Following {
  return followChanges(
    gateway,
    [{ path: paths.services(target.namespace), query: { labelSelector: target.labelSelector }, what: `the Services matching -l ${target.labelSelector}` }],
    handlers,
    signal,
  );
}

export function listEndpointSlices(gateway: Gateway, namespace: string, service: string): Promise<ListResult<EndpointSlice>> {
  return gateway.listWithResourceVersion<EndpointSlice>(paths.endpointSlices(namespace), sliceSelector(service));
}

// The EndpointSlices of one Service, the whole set on every change; from `initial` when the caller listed them already.
export function followEndpointSlices(
  gateway: Gateway,
  target: { namespace: string; service: string },
  handlers: SliceHandlers,
  options: ListWatchOptions<EndpointSlice>,
): Promise<void> {
  const what = `the EndpointSlices of service ${target.service}`;
  return listWatch<EndpointSlice>(
    gateway,
    { path: paths.endpointSlices(target.namespace), query: sliceSelector(target.service) },
    { onItems: handlers.onSlices, onTrouble: (problem) => handlers.onTrouble?.(troubleMessage(what, problem), problem) },
    options,
  );
}

// The pods a Service's selector picks now (expose: how many addresses its slices will hold).
export function listSelectedPods(gateway: Gateway, namespace: string, selector: Record<string, string>): Promise<Pod[]> {
  return gateway.list<Pod>(paths.pods(namespace), { labelSelector: formatLabels(selector) });
}

// One sentence for a spell of trouble, or undefined for its end.
export function troubleMessage(what: string, problem: unknown): string | undefined {
  if (problem === undefined) return undefined;
  const reason = problem instanceof Error ? problem.message : String(problem);
  return `lost the watch on ${what} (${reason}); retrying`;
}

// Several list-watches as one: synced once all are listed, in trouble while any is, done when all are.
function followChanges(
  gateway: Gateway,
  targets: Array<{ path: string; query: Record<string, string>; what: string }>,
  handlers: ChangeHandlers,
  signal: AbortSignal,
): Following {
  let unlisted = targets.length;
  let markSynced!: () => void;
  let failSynced!: (error: unknown) => void;
  const synced = new Promise<void>((resolve, reject) => ((markSynced = resolve), (failSynced = reject)));
  synced.catch(() => undefined); // a caller may only await `done`
  // One that fails for good stops the others.
  const all = new AbortController();
  const stopAll = (): void => all.abort();
  signal.addEventListener('abort', stopAll, { once: true });
  const troubled = new Set<string>();
  const done = Promise.all(
    targets.map(({ path, query, what }) => {
      let listed = false;
      const following = listWatch<Service | EndpointSlice>(
        gateway,
        { path, query },
        {
          onItems: (_items, cause) => {
            if (cause === 'changed' || listed) handlers.onChange();
            else {
              listed = true;
              unlisted -= 1;
              if (unlisted === 0) markSynced();
            }
          },
          onTrouble: (problem) => {
            const wasTroubled = troubled.size > 0;
            if (problem === undefined) troubled.delete(what);
            else troubled.add(what);
            if (!wasTroubled && troubled.size > 0) handlers.onTrouble?.(troubleMessage(what, problem), problem);
            else if (wasTroubled && troubled.size === 0) handlers.onTrouble?.(undefined);
          },
        },
        { signal: all.signal },
      );
      following.catch(stopAll);
      return following;
    }),
  ).then(
    () => {
      signal.removeEventListener('abort', stopAll);
      markSynced();
    },
    (error: unknown) => {
      signal.removeEventListener('abort', stopAll);
      failSynced(error);
      throw error;
    },
  );
  return { synced, done };
}

// Calls `action` once after a burst of calls has settled (a rollout sends dozens of events).
export function debounce(action: () => void, milliseconds: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(action, milliseconds);
  };
}
