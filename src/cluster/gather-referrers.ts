// The Ingresses and Gateway API routes of one namespace (or all), which may send to its Services:
// one list of each kind, in parallel. An API the cluster does not serve gives none; forbidden, a note.

import type { Ingress, Route } from '../kube/entries.js';
import type { Referrers } from '../snapshot.js';
import type { Gateway } from './gateway.js';
import { paths, served } from './lookups.js';

export async function gatherReferrers(gateway: Gateway, namespace: string | undefined, signal?: AbortSignal): Promise<Referrers> {
  const [ingresses, httpRoutes, grpcRoutes] = await Promise.all([
    served('ingresses', () => gateway.list<Ingress>(paths.ingresses(namespace), {}, undefined, { signal })),
    served('httproutes', () => gateway.list<Route>(paths.httpRoutes(namespace), {}, undefined, { signal })),
    served('grpcroutes', () => gateway.list<Route>(paths.grpcRoutes(namespace), {}, undefined, { signal })),
  ]);
  return { ingresses, httpRoutes, grpcRoutes };
}
