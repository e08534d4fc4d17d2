// Traces for the render and explain tests, made the way the commands make them: snapshots from
// API-shaped objects (the fake API server's scenarios) or from the example manifests, then analyze().

import path from 'node:path';
import { Readable } from 'node:stream';
import type { ServiceHealthList, Trace } from '../../../src/analyze/model.js';
import { analyze } from '../../../src/analyze/trace.js';
import { snapshotsFromLists } from '../../../src/cluster/gather-list.js';
import { loadManifests } from '../../../src/cluster/manifests.js';
import { offlineServices, offlineSnapshot } from '../../../src/cluster/offline.js';
import { scenarioLists } from '../../support/apiserver.js';

const list = (items: Trace[]): ServiceHealthList => ({ apiVersion: 'svc-trace/v1', kind: 'ServiceHealthList', items });

// One Service of a fake API server scenario (test/fixtures/apiserver/<scenario>), as seen from a pod of its namespace.
export function clusterTrace(scenario: string, namespace: string, name: string, options: { port?: string } = {}): Trace {
  const snapshot = snapshotsFromLists(scenarioLists(scenario, namespace)).find((s) => s.service.metadata.name === name);
  if (!snapshot) throw new Error(`scenario ${scenario} has no Service ${namespace}/${name}`);
  return analyze(snapshot, options);
}

// List mode over a scenario: one namespace, or all of them.
export function clusterList(scenario: string, namespace?: string): ServiceHealthList {
  return list(snapshotsFromLists(scenarioLists(scenario, namespace)).map((snapshot) => analyze(snapshot)));
}

const example = () => loadManifests([path.resolve('examples/shop')], Readable.from([]));

// One Service of examples/shop, read as `-f examples/shop -n shop` reads it.
export async function exampleTrace(name: string): Promise<Trace> {
  return analyze(offlineSnapshot(await example(), { namespace: 'shop', name }));
}

export async function exampleList(): Promise<ServiceHealthList> {
  return list(offlineServices(await example(), { namespace: 'shop' }).map((snapshot) => analyze(snapshot)));
}
