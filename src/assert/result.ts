// Pure: the evaluations of one look at every Service, with the wait's timing, as the AssertionResult
// that every renderer reads.

import type { AssertionResult, ServiceEvaluation } from './model.js';

export interface Timing {
  elapsedSeconds: number;
  timeoutSeconds: number;
  timedOut: boolean;
  // Per Service (`namespace/name`): seconds from the start until its assertions last began to hold.
  passingSince: ReadonlyMap<string, number>;
}

export const serviceKey = (service: { namespace: string; name: string }): string => `${service.namespace}/${service.name}`;

const rounded = (seconds: number): number => Math.round(seconds * 1000) / 1000;

export function assertionResult(
  evaluations: ServiceEvaluation[],
  timing: Timing,
  selector?: { namespace: string; labelSelector: string },
): AssertionResult {
  const services = evaluations.map(({ assertions, ...service }) => ({
    ...service,
    elapsedSeconds: rounded(service.passed ? (timing.passingSince.get(serviceKey(service)) ?? timing.elapsedSeconds) : timing.elapsedSeconds),
    assertions,
  }));
  // A selector that selects nothing asserts nothing: that is no pass.
  const passed = services.length > 0 && services.every((service) => service.passed);
  return {
    apiVersion: 'svc-trace/v1',
    kind: 'AssertionResult',
    passed,
    timedOut: timing.timedOut && !passed,
    timeoutSeconds: timing.timeoutSeconds,
    elapsedSeconds: rounded(timing.elapsedSeconds),
    ...(selector ? { selector } : {}),
    services,
  };
}
