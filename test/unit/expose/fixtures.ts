// Workloads as kube-apiserver 1.34 returned them (test/fixtures/expose/workloads/, captured from the
// manifests in test/fixtures/expose/workloads.yaml), and the builder's steps run over them.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildService, decidedChoices } from '../../../src/expose/builder.js';
import { planExpose, type Plan } from '../../../src/expose/plan.js';
import { parseExposeRequest, type ExposeFlags, type ExposeRequest } from '../../../src/expose/request.js';
import { exposedWorkload } from '../../../src/expose/workload.js';
import type { Pod, Service, Workload } from '../../../src/kube/types.js';

export function workloadFixture(file: string): Workload | Pod {
  return JSON.parse(readFileSync(path.resolve('test/fixtures/expose/workloads', `${file}.json`), 'utf8')) as Workload | Pod;
}

// `deploy/web` → the fixture deployment-web.json
const fixtureOf: Record<string, string> = { deploy: 'deployment', sts: 'statefulset', ds: 'daemonset', rs: 'replicaset', pod: 'pod' };

export function requestOf(workload: string, flags: Partial<ExposeFlags> = {}): ExposeRequest {
  return parseExposeRequest({ workload, port: [], nodePort: [], dryRun: 'client', yes: false, ...flags });
}

export function planOf(workload: string, flags: Partial<ExposeFlags> = {}, file?: string): { plan: Plan; request: ExposeRequest } {
  const request = requestOf(workload, flags);
  const [type, name] = workload.split('/') as [string, string];
  const object = workloadFixture(file ?? `${fixtureOf[type]}-${name}`);
  return { plan: planExpose(exposedWorkload(request.reference, object, 'shop', request.selector), request), request };
}

// The Service for a workload whose choices the flags settle entirely.
export function serviceOf(workload: string, flags: Partial<ExposeFlags> = {}, file?: string): Service {
  const { plan, request } = planOf(workload, flags, file);
  const choices = decidedChoices(plan);
  if (!choices) throw new Error(`choices left open for ${workload}`);
  return buildService(plan, request, choices);
}
