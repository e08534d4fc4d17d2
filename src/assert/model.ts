// What `kubectl svc-trace assert` checks and what it reports: the assertions a pipeline asks for,
// and their outcome for each Service (the AssertionResult of -o json, the JUnit report, the text).

import type { Verdict } from '../analyze/model.js';
import type { ServiceType } from '../kube/types.js';

export type Assertion =
  | { kind: 'port'; port: string } // the Service has this port (name or number)
  | { kind: 'type'; type: ServiceType }
  | { kind: 'min-ready'; count: number }
  | { kind: 'all-ready' }
  | { kind: 'max-not-ready'; count: number }
  | { kind: 'no-errors' }
  | { kind: 'probe' }; // --probe: every probed endpoint accepts a connection

export interface AssertionOutcome {
  name: string; // `min-ready >= 3`: the JUnit testcase name
  passed: boolean;
  // Counts for min-ready, max-not-ready, no-errors; words for type, port, all-ready.
  expected: number | string;
  actual: number | string;
  reason: string; // one sentence: what holds or what does not
  details: string[]; // why, line by line: not-ready endpoints and their pods' reasons, error findings
}

export interface EndpointCounts {
  ready: number;
  notReady: number; // not ready, or selected pods without an endpoint yet; terminating ones not counted
  total: number; // ready + notReady
}

export interface ServiceAssertions {
  namespace: string;
  name: string;
  found: boolean;
  verdict: Verdict | null; // null when the Service does not exist
  passed: boolean;
  endpoints: EndpointCounts | null;
  // Seconds from the start until the assertions held (passed), or until the end of the wait (failed).
  elapsedSeconds: number;
  assertions: AssertionOutcome[];
}

export interface AssertionResult {
  apiVersion: 'svc-trace/v1';
  kind: 'AssertionResult';
  passed: boolean;
  timedOut: boolean; // waited the whole --timeout and some assertion still failed
  timeoutSeconds: number; // --timeout; 0: checked once
  elapsedSeconds: number;
  selector?: { namespace: string; labelSelector: string }; // -l: which Services were asked for
  services: ServiceAssertions[];
}

// One look at one Service, before the wait's timing is known.
export type ServiceEvaluation = Omit<ServiceAssertions, 'elapsedSeconds'>;
