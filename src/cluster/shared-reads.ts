// One read per distinct request while gathering several snapshots at once (an entry's backends in
// one namespace share its labels, Events, NetworkPolicies and kube-system lookups): the same GET or
// LIST asked twice is sent once and both callers get its answer. Every request still goes through
// the gateway (and its count); only duplicates are not sent again.

import type { Gateway } from './gateway.js';

export function sharedReads(gateway: Gateway): Gateway {
  const answers = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!answers.has(key)) answers.set(key, read());
    return answers.get(key) as Promise<T>;
  };
  const keyOf = (method: string, [path, query, accept]: Parameters<Gateway['get']>) =>
    JSON.stringify([method, path, Object.entries(query ?? {}).sort(), accept ?? '']);
  return new Proxy(gateway, {
    get(target, property) {
      if (property === 'get') return (...args: Parameters<Gateway['get']>) => once(keyOf('get', args), () => target.get(...args));
      if (property === 'list') return (...args: Parameters<Gateway['list']>) => once(keyOf('list', args), () => target.list(...args));
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
