// Where snapshots come from: the API server (through kubeconfig) or manifests (-f). The commands
// call these and never care which.

import { parseClientReference } from '../kube/client-reference.js';
import { parseDuration } from '../kube/duration.js';
import type { ProbeOptions } from '../probe/model.js';
import type { SourceRequest } from '../requests/source.js';
import type { EntryTarget } from '../requests/target.js';
import type { EntrySnapshot, Snapshot } from '../snapshot.js';
import { connectOptions, connectTo } from './connection.js';
import type { Terminal } from './output.js';

export interface Gathered<T> {
  result: T;
  namespace: string;
  requests?: number; // HTTP requests made (live only)
}

// --probe (live only): the probe's limits, and the Service port it is narrowed to (--port).
export interface ProbeRequest extends ProbeOptions {
  port?: string;
}

export async function snapshotOfService(request: SourceRequest & { service: string }, terminal: Terminal, probe?: ProbeRequest): Promise<Gathered<Snapshot>> {
  const name = request.service;
  if (request.filenames.length > 0) {
    const offline = import('../cluster/offline.js');
    const { objects, namespace, client } = await manifests(request);
    return { result: (await offline).offlineSnapshot(objects, { namespace, name, client }), namespace };
  }
  const gathering = import('../cluster/gather.js');
  const options = connectOptions(request, terminal);
  const { gateway, namespace } = await (await import('../cluster/kubeconfig.js')).connect(options);
  let snapshot = await (await gathering).gatherSnapshot(gateway, { namespace, name, from: request.from, fromNamespace: request.fromNamespace, referrers: true });
  if (probe) {
    // Loaded only with --probe: without it, no tunnel is ever opened.
    const { withProbe } = await import('../probe/run.js');
    const upgradeTimeoutMs = request.requestTimeout ? parseDuration(request.requestTimeout, '--request-timeout') : 0;
    snapshot = await withProbe(gateway, snapshot, { ...probe, upgradeTimeoutMs, debug: options.debug });
  }
  return { result: snapshot, namespace, requests: gateway.requestCount };
}

export async function snapshotsOfNamespace(request: SourceRequest & { allNamespaces: boolean }, terminal: Terminal): Promise<Gathered<Snapshot[]>> {
  if (request.filenames.length > 0) {
    const offline = import('../cluster/offline.js');
    const { objects, namespace } = await manifests(request);
    const scope = request.allNamespaces ? { allNamespaces: true as const, defaultNamespace: namespace } : { namespace };
    return { result: (await offline).offlineServices(objects, scope), namespace };
  }
  const gathering = import('../cluster/gather-list.js');
  const { gateway, namespace } = await connectTo(request, terminal);
  const { gatherLists, snapshotsFromLists } = await gathering;
  const lists = await gatherLists(gateway, request.allNamespaces ? undefined : namespace);
  return { result: snapshotsFromLists(lists), namespace, requests: gateway.requestCount };
}

export async function snapshotOfEntry(request: SourceRequest & { entry: EntryTarget }, terminal: Terminal): Promise<Gathered<EntrySnapshot>> {
  if (request.filenames.length > 0) {
    const offline = import('../cluster/offline-entry.js');
    const { objects, namespace, client } = await manifests(request);
    return { result: (await offline).offlineEntrySnapshot(objects, { namespace, ...request.entry, client }), namespace };
  }
  const gathering = import('../cluster/gather-entry.js');
  const { gateway, namespace } = await connectTo(request, terminal);
  const snapshot = await (await gathering).gatherEntry(gateway, { namespace, ...request.entry, from: request.from, fromNamespace: request.fromNamespace });
  return { result: snapshot, namespace, requests: gateway.requestCount };
}

// -f: the objects of the manifests, the namespace they default to (-n, else "default"), and the client.
async function manifests(request: SourceRequest) {
  const { loadManifests } = await import('../cluster/manifests.js');
  const objects = await loadManifests(request.filenames);
  return { objects, namespace: request.namespace ?? 'default', client: parseClientReference(request.from, request.fromNamespace) };
}
