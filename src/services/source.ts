// Where snapshots come from: the API server (through kubeconfig) or manifests (-f). The commands
// call these and never care which.

import { parseClientReference } from '../kube/client-reference.js';
import { parseDuration } from '../kube/duration.js';
import type { ProbeOptions } from '../probe/model.js';
import type { Snapshot } from '../snapshot.js';

export interface SourceOptions {
  filenames: string[]; // -f; empty = live cluster
  namespace?: string;
  allNamespaces: boolean;
  context?: string;
  kubeconfig?: string;
  requestTimeout?: string;
  from?: string; // --from, checked by parseClientReference before any request
  fromNamespace?: string; // --from-namespace
  debug?: (line: string) => void;
  stdin?: NodeJS.ReadableStream;
}

export interface Gathered<T> {
  result: T;
  namespace: string;
  requests?: number; // HTTP requests made (live only)
}

// --probe (live only): the probe's limits, and the Service port it is narrowed to (--port).
export interface ProbeRequest extends ProbeOptions {
  port?: string;
}

export async function snapshotOfService(options: SourceOptions, name: string, probe?: ProbeRequest): Promise<Gathered<Snapshot>> {
  if (options.filenames.length > 0) {
    const [{ loadManifests }, { offlineSnapshot }] = await Promise.all([import('../cluster/manifests.js'), import('../cluster/offline.js')]);
    const namespace = options.namespace ?? 'default';
    const objects = await loadManifests(options.filenames, options.stdin);
    const client = parseClientReference(options.from, options.fromNamespace);
    return { result: offlineSnapshot(objects, { namespace, name, client }), namespace };
  }
  const [{ connect }, { gatherSnapshot }] = await Promise.all([import('../cluster/kubeconfig.js'), import('../cluster/gather.js')]);
  const connection = await connect(options);
  let snapshot = await gatherSnapshot(connection.gateway, { namespace: connection.namespace, name, from: options.from, fromNamespace: options.fromNamespace, referrers: true });
  if (probe) {
    // Loaded only with --probe: without it, no tunnel is ever opened.
    const { withProbe } = await import('../probe/run.js');
    const upgradeTimeoutMs = options.requestTimeout ? parseDuration(options.requestTimeout, '--request-timeout') : 0;
    snapshot = await withProbe(connection.gateway, snapshot, { ...probe, upgradeTimeoutMs, debug: options.debug });
  }
  return { result: snapshot, namespace: connection.namespace, requests: connection.gateway.requestCount };
}

export async function snapshotsOfNamespace(options: SourceOptions): Promise<Gathered<Snapshot[]>> {
  if (options.filenames.length > 0) {
    const [{ loadManifests }, { offlineServices }] = await Promise.all([import('../cluster/manifests.js'), import('../cluster/offline.js')]);
    const namespace = options.namespace ?? 'default';
    const objects = await loadManifests(options.filenames, options.stdin);
    const scope = options.allNamespaces ? { allNamespaces: true as const, defaultNamespace: namespace } : { namespace };
    return { result: offlineServices(objects, scope), namespace };
  }
  const [{ connect }, { gatherLists, snapshotsFromLists }] = await Promise.all([import('../cluster/kubeconfig.js'), import('../cluster/gather-list.js')]);
  const connection = await connect(options);
  const lists = await gatherLists(connection.gateway, options.allNamespaces ? undefined : connection.namespace);
  return { result: snapshotsFromLists(lists), namespace: connection.namespace, requests: connection.gateway.requestCount };
}
