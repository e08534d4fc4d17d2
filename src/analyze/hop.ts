// What every hop module returns — its hop, status included, and the findings it raised — and how a
// hop's status follows from its findings. Pure.

import type { BackendReference } from './entry-backends.js';
import type { EntryHop } from './entry-model.js';
import type { Finding, HopKind, HopStatus, Level } from './model.js';

export interface HopResult<H> {
  hop: H;
  findings: Finding[];
}

// An Ingress's or route's own hops (ingress; route and gateway), their findings, and the backend
// Services it names, which the entry trace then traces each.
export interface EntryHopsResult<H extends EntryHop[]> {
  hops: H;
  findings: Finding[];
  backends: BackendReference[];
}

export const levelOrder: Record<Level, number> = { error: 0, warning: 1, info: 2 };

// An error fails the hop, a warning warns; an info finding leaves it ok.
export function hopStatus(kind: HopKind, findings: Finding[]): HopStatus {
  const levels = findings.filter((f) => f.hop === kind).map((f) => f.level);
  if (levels.includes('error')) return 'fail';
  if (levels.includes('warning')) return 'warn';
  return 'ok';
}

// What a lookup that was not made says about it, as a hop's note.
export function skipped(lookup: { skipped: string } | object): string[] {
  return 'skipped' in lookup ? [lookup.skipped as string] : [];
}
