// `-A` in a large cluster: the pages of one cluster-wide LIST come one after another (each waits for
// the last one's continue token), 45 of them for 22,500 pods. So the first page is the cluster-wide
// list's; when more would follow, the namespaces from the one that page ended in are listed apart,
// several at once, and joined in the order one list gives (by namespace, then name). A list that fits
// in one page is the one request it always was. Without the namespaces (not allowed to list them),
// the cluster-wide list goes on page by page.

import type { KubeObject, Namespace } from '../kube/types.js';
import type { Lookup } from '../snapshot.js';
import type { Gateway, ListOptions } from './gateway.js';

// Lists at once besides the other kinds' (measured on 2,500 Services / 22,500 pods in 50 namespaces:
// 4 at once took 15% less time than one list, 8 at once 40% less).
const listsAtOnce = 8;

export async function listEveryNamespace<T extends KubeObject>(
  gateway: Gateway,
  collection: (namespace?: string) => string,
  namespaces: Promise<Lookup<Namespace>>,
  call: ListOptions<T> = {},
): Promise<T[]> {
  const first = await gateway.listPage<T>(collection(), { limit: String(gateway.pageSize) }, undefined, call);
  const items = first.items ?? [];
  const continueToken = first.metadata?.continue ?? '';
  if (continueToken === '') return items;
  const known = await namespaces;
  const reached = items.at(-1)?.metadata.namespace;
  if (!('items' in known) || reached === undefined) {
    return [...items, ...(await gateway.list<T>(collection(), { continue: continueToken }, undefined, call))];
  }
  // The namespaces the first page did not finish (names compare as the API server orders them).
  const rest = known.items.map((namespace) => namespace.metadata.name).filter((name) => name >= reached).sort(byteOrder);
  const lists: T[][] = new Array(rest.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rest.length) {
      const index = next++;
      lists[index] = await gateway.list<T>(collection(rest[index]), {}, undefined, call);
    }
  };
  await Promise.all(Array.from({ length: Math.min(listsAtOnce, rest.length) }, worker));
  return [...items.filter((item) => (item.metadata.namespace ?? '') < reached), ...lists.flat()];
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
