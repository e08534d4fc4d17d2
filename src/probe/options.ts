// Pure: --probe, --probe-limit and --probe-timeout, checked (usage errors, exit 2).

import { usageError } from '../errors.js';
import { parseDuration } from '../kube/duration.js';
import { defaultProbeLimit, defaultProbeTimeout, type ProbeOptions } from './model.js';

export interface ProbeFlags {
  probe?: boolean;
  probeLimit?: string;
  probeTimeout?: string;
}

export function parseProbeOptions(flags: ProbeFlags): ProbeOptions | undefined {
  if (!flags.probe) {
    const stray = flags.probeLimit !== undefined ? '--probe-limit' : flags.probeTimeout !== undefined ? '--probe-timeout' : undefined;
    if (stray) throw usageError(`${stray} needs --probe`, `add --probe to open a connection to each ready endpoint, or drop ${stray}`);
    return undefined;
  }
  const limitText = (flags.probeLimit ?? String(defaultProbeLimit)).trim();
  if (!/^\d+$/.test(limitText) || Number(limitText) < 1) {
    throw usageError(`invalid value "${flags.probeLimit}" for --probe-limit: not a whole number of 1 or more`, 'give how many endpoints to probe at most, e.g. --probe-limit 10');
  }
  const timeoutMs = parseDuration(flags.probeTimeout ?? defaultProbeTimeout, '--probe-timeout');
  if (timeoutMs <= 0) throw usageError('--probe-timeout must be longer than 0', 'give how long to wait for each connection, e.g. --probe-timeout 3s');
  return { limit: Number(limitText), timeoutMs };
}
