// References to the objects a finding concerns.

import type { KubeObject } from '../kube/types.js';
import type { ObjectRef } from './model.js';

export function refOf(kind: string, object: KubeObject): ObjectRef {
  return { kind, name: object.metadata.name, namespace: object.metadata.namespace };
}

export const serviceRef = (service: KubeObject): ObjectRef => refOf('Service', service);
export const podRef = (pod: KubeObject): ObjectRef => refOf('Pod', pod);
