// What `--probe` found, as the snapshot carries it: for each ready endpoint's pod (up to
// --probe-limit), one TCP connection on each probed Service port's target port through the API
// server's port-forward. The analysis turns these into findings; it never probes itself.

export type ProbeOutcome =
  // The app accepted the connection (`milliseconds`: from the start of the probe, the port-forward
  // upgrade included, to the pod's answer).
  | 'accepted'
  // The kubelet reported "connection refused": nothing listens on that port in the pod.
  | 'refused'
  // No answer within --probe-timeout.
  | 'timeout'
  // The API server refused the port-forward (403): the probe is not permitted.
  | 'forbidden'
  // Anything else the API server or the kubelet said (the pod went away, no node, ...).
  | 'failed';

export interface ProbeTarget {
  pod: string;
  // The Service port's name, else its number (as the backend hop names it).
  servicePort: string;
  // The endpoint's resolved target port on this pod.
  port: number;
}

export interface PortProbe extends ProbeTarget {
  outcome: ProbeOutcome;
  milliseconds?: number;
  // What the kubelet or the API server said, or how the outcome was reached.
  message?: string;
}

export interface ProbeReport {
  timeoutMs: number;
  limit: number;
  probes: PortProbe[];
  // Ready pods beyond --probe-limit: not probed.
  notProbed: string[];
  // Why some ports or endpoints were not probed (UDP/SCTP ports, no pod endpoints).
  skipped: string[];
}

export interface ProbeOptions {
  limit: number;
  timeoutMs: number;
}

export const defaultProbeLimit = 10;
export const defaultProbeTimeout = '3s';
