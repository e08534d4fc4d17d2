// Services as assert and expose read and write them: the names a label selector selects, a check
// that a name is free, and a create (or a server-side dry run of one).

import { ApiStatusError, usageError } from '../errors.js';
import { alreadyExists, refusalOf } from '../expose/refusals.js';
import type { Service } from '../kube/types.js';
import type { Gateway } from './gateway.js';
import { paths } from './lookups.js';

// -l: the names of the Services of the namespace with these labels, sorted; a selector the API
// server cannot parse (400) is the user's mistake.
export async function serviceNamesSelectedBy(gateway: Gateway, namespace: string, labelSelector: string): Promise<string[]> {
  try {
    const services = await gateway.list<Service>(paths.services(namespace), { labelSelector });
    return services.map((service) => service.metadata.name).sort();
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 400) {
      throw usageError(`invalid label selector "${labelSelector}": ${error.message}`, 'write it as kubectl takes it, e.g. -l app=web, -l \'tier in (web,api)\' or -l \'!canary\'');
    }
    throw error;
  }
}

// A Service that exists is never replaced: look first, and refuse.
export async function ensureServiceAbsent(gateway: Gateway, service: Service): Promise<void> {
  const namespace = service.metadata.namespace!;
  try {
    await gateway.get(paths.named(paths.services(namespace), service.metadata.name));
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) return;
    throw error;
  }
  throw alreadyExists(namespace, service.metadata.name);
}

// dryRun: the API server checks the Service (and fills in its defaults) without creating it.
// Its refusals (a name in use, a node port taken, an invalid field) are ServiceRefused errors.
export async function createService(gateway: Gateway, service: Service, options: { dryRun: boolean }): Promise<Service> {
  try {
    return await gateway.post<Service>(paths.services(service.metadata.namespace!), service, options.dryRun ? { dryRun: 'All' } : undefined);
  } catch (error) {
    throw refusalOf(error, service) ?? error;
  }
}
