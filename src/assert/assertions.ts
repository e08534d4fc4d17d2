// The assertion flags, checked and turned into a list of assertions in a fixed order (port first:
// it narrows what the readiness assertions count). Without any, a Service must have one ready endpoint.

import { usageError } from '../errors.js';
import type { ServiceType } from '../kube/types.js';
import type { Assertion } from './model.js';

export interface AssertionFlags {
  minReady?: string;
  allReady?: boolean;
  maxNotReady?: string;
  type?: string;
  port?: string;
  noErrors?: boolean;
  probe?: boolean;
}

export const defaultMinReady = 1;

const serviceTypes: ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

// A count of endpoints: a whole number, 0 or more.
function parseCount(text: string, flag: string): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    const negative = /^-\d+$/.test(trimmed);
    throw usageError(
      `invalid value "${text}" for ${flag}: ${negative ? 'a count cannot be negative' : 'not a whole number'}`,
      `give a number of endpoints, e.g. ${flag}=2`,
    );
  }
  return Number(trimmed);
}

function parseServiceType(text: string): ServiceType {
  const type = serviceTypes.find((candidate) => candidate.toLowerCase() === text.trim().toLowerCase());
  if (!type) throw usageError(`unknown Service type "${text}" for --type`, `use one of: ${serviceTypes.join(', ')}`);
  return type;
}

function parsePort(text: string): string {
  const port = text.trim();
  if (port === '' || port.startsWith('-')) {
    throw usageError(`invalid value "${text}" for --port`, 'give a Service port by name or number, e.g. --port http or --port 80');
  }
  return port;
}

export function parseAssertions(flags: AssertionFlags): Assertion[] {
  const assertions: Assertion[] = [];
  if (flags.port !== undefined) assertions.push({ kind: 'port', port: parsePort(flags.port) });
  if (flags.type !== undefined) assertions.push({ kind: 'type', type: parseServiceType(flags.type) });
  if (flags.minReady !== undefined) assertions.push({ kind: 'min-ready', count: parseCount(flags.minReady, '--min-ready') });
  if (flags.allReady) assertions.push({ kind: 'all-ready' });
  if (flags.maxNotReady !== undefined) assertions.push({ kind: 'max-not-ready', count: parseCount(flags.maxNotReady, '--max-not-ready') });
  if (flags.noErrors) assertions.push({ kind: 'no-errors' });
  // --port (or --probe) alone still asks for backends, on that port: a probe of none holds vacuously.
  if (!assertions.some((assertion) => assertion.kind !== 'port')) assertions.push({ kind: 'min-ready', count: defaultMinReady });
  if (flags.probe) assertions.push({ kind: 'probe' });
  return assertions;
}

// The name a pipeline sees in its test report: `min-ready >= 3`, `type == LoadBalancer`.
export function assertionName(assertion: Assertion): string {
  switch (assertion.kind) {
    case 'port':
      return `port ${assertion.port}`;
    case 'type':
      return `type == ${assertion.type}`;
    case 'min-ready':
      return `min-ready >= ${assertion.count}`;
    case 'all-ready':
      return 'all-ready';
    case 'max-not-ready':
      return `max-not-ready <= ${assertion.count}`;
    case 'no-errors':
      return 'no-errors';
    case 'probe':
      return 'probe: every probed endpoint accepts';
  }
}

// The port the readiness assertions are limited to, if any.
export function portOf(assertions: Assertion[]): string | undefined {
  for (const assertion of assertions) if (assertion.kind === 'port') return assertion.port;
  return undefined;
}
