// Recent Warning events on the Service or its EndpointSlices (warning-events).

import type { Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import type { Finding } from './model.js';
import { serviceRef } from './refs.js';

export function analyzeEvents(snapshot: Snapshot): Finding[] {
  if ('skipped' in snapshot.events) return [];
  const sliceNames = new Set('items' in snapshot.endpointSlices ? snapshot.endpointSlices.items.map((s) => s.metadata.name) : []);
  const { name } = snapshot.service.metadata;
  const warnings = snapshot.events.items.filter(
    (event) =>
      event.type === 'Warning' &&
      ((event.involvedObject.kind === 'Service' && event.involvedObject.name === name) ||
        (event.involvedObject.kind === 'EndpointSlice' && sliceNames.has(event.involvedObject.name ?? ''))),
  );
  if (warnings.length === 0) return [];
  const events = warnings.map((e) => `${e.reason ?? 'Warning'}: ${e.message ?? ''}`.trim());
  return [raise('warning-events', { events }, [serviceRef(snapshot.service)])];
}
