// Follow one Service through the watch API: its own object and its EndpointSlices. Pod readiness,
// label and port changes all reach the slices (the EndpointSlice controller rewrites them), so these
// two watches see every change that alters a trace — without polling.

import { setTimeout as delay } from 'node:timers/promises';
import { ApiStatusError } from '../errors.js';
import type { Gateway } from './gateway.js';
import { paths } from './lookups.js';

// Watches `path` until aborted, starting the watch again whenever the server closes it (every few
// minutes). Bookmarks only move the resourceVersion on: they are not changes.
export async function watchForever(
  gateway: Gateway,
  path: string,
  query: Record<string, string>,
  onChange: () => void,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    try {
      await gateway.watch(path, query, (event) => event.type !== 'BOOKMARK' && onChange(), signal);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiStatusError && error.status >= 400 && error.status < 500 && error.status !== 410) throw error;
      await delay(1000, undefined, { signal }).catch(() => undefined);
    }
  }
}

export async function followService(
  gateway: Gateway,
  target: { namespace: string; name: string },
  onChange: () => void,
  signal: AbortSignal,
): Promise<void> {
  const { namespace, name } = target;
  await Promise.all([
    watchForever(gateway, paths.services(namespace), { fieldSelector: `metadata.name=${name}` }, onChange, signal),
    watchForever(gateway, paths.endpointSlices(namespace), { labelSelector: `kubernetes.io/service-name=${name}` }, onChange, signal),
  ]);
}

// Calls `action` once after a burst of calls has settled (a rollout sends dozens of events).
export function debounce(action: () => void, milliseconds: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(action, milliseconds);
  };
}
