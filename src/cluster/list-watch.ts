// List, then watch from the list's resourceVersion, and keep the set current — what client-go's
// Reflector does for an informer. Every long wait of svc-trace follows the API this way: trace -w,
// assert --timeout, forward and expose's wait for the EndpointSlice controller.
//
// - A watch the server ends (it does every few minutes) is opened again from the last
//   resourceVersion seen, so no change in between is lost and none is replayed.
// - Bookmarks (allowWatchBookmarks) only move that resourceVersion on.
// - 410 Gone (the resourceVersion is older than etcd keeps), as an HTTP status or an ERROR event:
//   list again, and hand the fresh set on.
// - Any other ERROR event: list again, after the back-off.
// - A dropped connection, a refused one, 5xx, 429: retried with a bounded, jittered exponential
//   back-off; the first failure of a spell is reported (onTrouble) and so is the recovery.
// - 401: tried once more (the gateway fetches a fresh credential, as client-go re-runs an exec
//   plugin); other 4xx (403, 404, 400): nothing a retry mends — the promise rejects with the error.
// - The signal ends it at once, in any state (waiting, listing, watching); the promise then resolves.
//   The command's deadline (the gateway's, e.g. assert --timeout) ends it too: it rejects with the
//   DeadlineError, as every request does.

import { setTimeout as delay } from 'node:timers/promises';
import { ApiStatusError, DeadlineError } from '../errors.js';
import type { KubeObject } from '../kube/types.js';
import type { ApiStatus, Gateway, ListResult, WatchEvent } from './gateway.js';

export interface ListWatchTarget {
  // The collection, e.g. /apis/discovery.k8s.io/v1/namespaces/shop/endpointslices.
  path: string;
  // labelSelector / fieldSelector: the same for the list and for the watch.
  query: Record<string, string>;
}

export interface ListWatchHandlers<T> {
  // The whole current set: after each list ('listed': the first, or a fresh one) and after each
  // change the watch reports ('changed'; bookmarks are no change).
  onItems: (items: T[], cause: 'listed' | 'changed') => void;
  // The first failure of a spell (the error), and the recovery (undefined) once a list or a
  // watch is answered again.
  onTrouble?: (problem: unknown) => void;
}

export interface Backoff {
  // The first wait after a failure, and the most any wait may be (before jitter).
  initialMs: number;
  maxMs: number;
}

export interface ListWatchOptions<T> {
  signal: AbortSignal;
  // A list the caller already made: watched from its resourceVersion, not listed again.
  initial?: ListResult<T>;
  backoff?: Backoff;
}

// client-go's reflector waits 800ms doubling to 30s; a command someone watches recovers sooner.
const defaultBackoff: Backoff = { initialMs: 500, maxMs: 5_000 };
// A watch that ends this soon without an event counts as a failure (client-go: "very short watch").
const shortWatchMs = 1_000;

class WatchErrorEvent extends Error {
  constructor(readonly status: ApiStatus) {
    super(status.message ?? `the watch sent an error (${status.reason ?? status.code ?? 'no reason given'})`);
  }
}

export async function listWatch<T extends KubeObject>(
  gateway: Gateway,
  target: ListWatchTarget,
  handlers: ListWatchHandlers<T>,
  options: ListWatchOptions<T>,
): Promise<void> {
  const { signal } = options;
  // The back-off waits end at the command's deadline too; the next request then says so.
  const waitSignal = gateway.deadlineSignal ? AbortSignal.any([signal, gateway.deadlineSignal]) : signal;
  let unauthorizedBefore = false;
  const backoff = options.backoff ?? defaultBackoff;
  const items = new Map<string, T>();
  const current = () => [...items.values()];
  let resourceVersion: string | undefined;
  let failures = 0;
  let troubled = false;
  let expiredBefore = false;

  const replace = (listed: ListResult<T>): void => {
    items.clear();
    for (const item of listed.items) items.set(keyOf(item), item);
    resourceVersion = listed.resourceVersion;
  };
  const answered = (): void => {
    if (!troubled) return;
    troubled = false;
    handlers.onTrouble?.(undefined);
  };
  const apply = (event: WatchEvent<T | ApiStatus>): void => {
    if (event.type === 'ERROR') throw new WatchErrorEvent(event.object as ApiStatus);
    const object = event.object as T;
    if (object.metadata?.resourceVersion) resourceVersion = object.metadata.resourceVersion;
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'DELETED') items.delete(keyOf(object));
    else items.set(keyOf(object), object);
    handlers.onItems(current(), 'changed');
  };

  if (options.initial) replace(options.initial);
  while (!signal.aborted) {
    let events = 0;
    const started = performance.now();
    try {
      if (resourceVersion === undefined) {
        const listed = await gateway.listWithResourceVersion<T>(target.path, target.query, undefined, { signal });
        replace(listed);
        answered();
        handlers.onItems(current(), 'listed');
      }
      const query = { ...target.query, resourceVersion: resourceVersion!, timeoutSeconds: String(watchTimeoutSeconds()) };
      await gateway.watch<T | ApiStatus>(target.path, query, (event) => {
        events += 1;
        apply(event);
      }, signal, answered);
      expiredBefore = false;
      unauthorizedBefore = false;
      if (events > 0 || performance.now() - started >= shortWatchMs) {
        failures = 0;
        continue;
      }
      // Ended at once, saying nothing: wait before the next try (a proxy that closes every watch).
    } catch (error) {
      if (signal.aborted) return;
      if (isExpired(error)) {
        resourceVersion = undefined;
        // List again at once — unless the last watch expired too (then after the back-off).
        if (!expiredBefore) {
          expiredBefore = true;
          continue;
        }
      } else {
        expiredBefore = false;
        const unauthorized = error instanceof ApiStatusError && error.status === 401;
        if (isFinal(error) && !(unauthorized && !unauthorizedBefore)) throw error;
        unauthorizedBefore = unauthorized;
        if (error instanceof WatchErrorEvent) resourceVersion = undefined;
        if (!troubled) {
          troubled = true;
          handlers.onTrouble?.(error);
        }
      }
    }
    await delay(backoffMs(backoff, failures), undefined, { signal: waitSignal }).catch(() => undefined);
    failures += 1;
  }
}

// The wait before retry number `failures` (0 first): doubling up to the cap, with "equal jitter"
// (half fixed, half random), so that many clients cut off together do not come back together.
export function backoffMs(backoff: Backoff, failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

// As client-go asks: 5-10 minutes, so that a connection a load balancer dropped without a word is
// noticed, and the watches of many clients do not all end at once.
function watchTimeoutSeconds(): number {
  return 300 + Math.floor(Math.random() * 300);
}

function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function isExpired(error: unknown): boolean {
  if (error instanceof WatchErrorEvent) return error.status.code === 410;
  return error instanceof ApiStatusError && error.status === 410;
}

// A status no retry mends (the request itself is wrong, or not allowed), or the command's time is up.
function isFinal(error: unknown): boolean {
  if (error instanceof DeadlineError) return true;
  return error instanceof ApiStatusError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}
