// Follows the EndpointSlices of one Service through the watch API (labelSelector
// kubernetes.io/service-name=NAME): list once, then watch from the list's resourceVersion and keep
// the set current. Every change hands the whole set on. A watch the server ends is resumed from the
// last resourceVersion seen; a resourceVersion that is too old (410 Gone) means listing again.

import { setTimeout as delay } from 'node:timers/promises';
import { ApiStatusError } from '../errors.js';
import type { ApiStatus, Gateway, ListResult, WatchEvent } from '../cluster/gateway.js';
import { paths } from '../cluster/lookups.js';
import type { EndpointSlice } from '../kube/types.js';

export interface SliceFollower {
  // Every time the set changes, with all current slices.
  onSlices: (slices: EndpointSlice[]) => void;
  // The watch broke and is being retried (undefined: it works again).
  onTrouble: (message: string | undefined) => void;
}

class Gone extends Error {}

export function listEndpointSlices(gateway: Gateway, namespace: string, service: string): Promise<ListResult<EndpointSlice>> {
  return gateway.listWithResourceVersion<EndpointSlice>(paths.endpointSlices(namespace), { labelSelector: selectorOf(service) });
}

export async function followEndpointSlices(
  gateway: Gateway,
  target: { namespace: string; service: string },
  initial: ListResult<EndpointSlice>,
  follower: SliceFollower,
  signal: AbortSignal,
): Promise<void> {
  const slices = new Map(initial.items.map((slice) => [slice.metadata.name, slice]));
  let resourceVersion = initial.resourceVersion;
  let troubled = false;
  const path = paths.endpointSlices(target.namespace);
  const labelSelector = selectorOf(target.service);

  const apply = (event: WatchEvent<EndpointSlice | ApiStatus>) => {
    if (event.type === 'ERROR') {
      const status = event.object as ApiStatus;
      if (status.code === 410) throw new Gone();
      throw new Error(status.message ?? 'the watch sent an error');
    }
    const slice = event.object as EndpointSlice;
    if (slice.metadata?.resourceVersion) resourceVersion = slice.metadata.resourceVersion;
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'DELETED') slices.delete(slice.metadata.name);
    else slices.set(slice.metadata.name, slice);
    follower.onSlices([...slices.values()]);
  };

  while (!signal.aborted) {
    try {
      await gateway.watch<EndpointSlice | ApiStatus>(path, { labelSelector, resourceVersion }, (event) => {
        if (troubled) {
          troubled = false;
          follower.onTrouble(undefined);
        }
        apply(event);
      }, signal);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof Gone || (error instanceof ApiStatusError && error.status === 410)) {
        const fresh = await relist(gateway, target, signal).catch((cause: unknown) => {
          report(cause);
          return undefined;
        });
        if (fresh) {
          slices.clear();
          for (const slice of fresh.items) slices.set(slice.metadata.name, slice);
          resourceVersion = fresh.resourceVersion;
          follower.onSlices([...slices.values()]);
          continue;
        }
      } else {
        report(error);
      }
      await delay(1000, undefined, { signal }).catch(() => undefined);
    }
  }

  function report(error: unknown): void {
    troubled = true;
    const message = error instanceof Error ? error.message : String(error);
    follower.onTrouble(`following the endpoints failed (${message}); retrying`);
  }
}

function relist(gateway: Gateway, target: { namespace: string; service: string }, signal: AbortSignal) {
  if (signal.aborted) return Promise.resolve(undefined);
  return listEndpointSlices(gateway, target.namespace, target.service);
}

function selectorOf(service: string): string {
  return `kubernetes.io/service-name=${service}`;
}
