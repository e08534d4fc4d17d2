// Pure: the command line of `kubectl svc-trace assert`, checked, as a plain request. Every bad
// combination is a usage error (exit 2): one sentence and a hint.

import { parseServiceArgument } from '../requests/target.js';
import { usageError } from '../errors.js';
import { parseDuration } from '../kube/duration.js';
import type { ProbeOptions } from '../probe/model.js';
import { parseProbeOptions } from '../probe/options.js';
import { parseAssertions, type AssertionFlags } from './assertions.js';
import type { Assertion } from './model.js';

export const assertFormats = ['text', 'json', 'junit', 'markdown'] as const;
export type AssertFormat = (typeof assertFormats)[number];

export interface AssertCommandLine extends AssertionFlags {
  services: string[]; // the SERVICE arguments as typed
  selector?: string; // -l
  timeout?: string;
  output?: string;
  probeLimit?: string;
  probeTimeout?: string;
}

export interface AssertRequest {
  services: string[]; // Service names (svc/ and service/ taken off), each once
  selector?: string;
  assertions: Assertion[];
  timeoutMs: number; // 0: check once
  output: AssertFormat;
  probe?: ProbeOptions; // --probe: each look probes the ready endpoints
}

const example = 'kubectl svc-trace assert web -n shop --min-ready 2';

function parseTimeout(text: string): number {
  try {
    return parseDuration(text, '--timeout');
  } catch {
    throw usageError(`invalid value "${text}" for --timeout: not a duration`, 'write a duration such as 90s, 2m or 1m30s, e.g. --timeout=2m; 0 checks once without waiting');
  }
}

export function parseAssertRequest(line: AssertCommandLine): AssertRequest {
  const flagLike = line.services.find((argument) => argument.startsWith('-'));
  if (flagLike !== undefined) throw usageError(`unknown flag ${flagLike.split('=')[0]}`, 'see kubectl svc-trace assert --help');
  const selector = line.selector?.trim();
  if (line.selector !== undefined && selector === '') {
    throw usageError('-l needs a label selector', 'select Services by their labels, e.g. -l app=web or -l \'tier in (web,api)\'');
  }
  if (line.services.length === 0 && selector === undefined) {
    throw usageError('no Service to assert on', `name one or more Services (${example}) or select them by label with -l app=web`);
  }
  if (line.services.length > 0 && selector !== undefined) {
    throw usageError('give Services by name or by -l, not both', `drop -l ${selector}, or drop ${line.services.join(' ')}`);
  }
  const output = line.output ?? 'text';
  if (!(assertFormats as readonly string[]).includes(output)) {
    throw usageError(`unknown output format "${output}" for assert`, `use one of: ${assertFormats.join(', ')}`);
  }
  const probe = parseProbeOptions(line);
  return {
    ...(probe ? { probe } : {}),
    services: [...new Set(line.services.map(parseServiceArgument))],
    ...(selector === undefined ? {} : { selector }),
    assertions: parseAssertions(line),
    timeoutMs: line.timeout === undefined ? 0 : parseTimeout(line.timeout),
    output: output as AssertFormat,
  };
}
