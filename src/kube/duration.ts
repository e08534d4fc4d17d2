// Durations written the way kubectl takes them: Go's time.ParseDuration (`90s`, `1h30m`, `500ms`, `0`).

import { usageError } from '../errors.js';

// Milliseconds per unit, with Go's unit names (both micro signs included, as Go accepts).
const unitMilliseconds: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const component = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

// The flag whose bare integers are seconds: kubectl (client-go) reads `--request-timeout=5` as 5s.
const bareSecondsFlag = '--request-timeout';

// Milliseconds for a duration; a usage error naming the flag when the text is not one.
// Negative durations are refused: no flag of svc-trace means anything by them.
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  if (flag === bareSecondsFlag && /^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const milliseconds = goDurationMilliseconds(trimmed.startsWith('+') ? trimmed.slice(1) : trimmed);
  if (milliseconds === undefined) {
    const example = flag === bareSecondsFlag ? `${flag}=30s (or ${flag}=30, in seconds)` : `${flag}=30s`;
    throw usageError(
      `invalid value "${text}" for ${flag}: not a duration`,
      `write a duration such as 30s, 2m or 1h30m, e.g. ${example}; 0 means no limit`,
    );
  }
  return milliseconds;
}

// Go's grammar without the sign: "0", or one or more number+unit pairs (`1h30m`, `1.5s`).
function goDurationMilliseconds(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  component.lastIndex = 0;
  while (component.lastIndex < text.length) {
    const match = component.exec(text);
    if (match === null) return undefined;
    total += Number(match[1]) * unitMilliseconds[match[2]];
  }
  // Whole nanoseconds, as Go keeps them, so `1.1s` is 1100 and not 1100.0000000000002.
  return Math.round(total * 1e6) / 1e6;
}
