// Recent Warning events on the Service or its EndpointSlices (warning-events, on the frontend hop).

import { lookupItems, type Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import type { Finding } from './model.js';
import { serviceRef } from './refs.js';

const sliceItems = (snapshot: Snapshot) => lookupItems(snapshot.endpointSlices);

export function analyzeEvents(snapshot: Snapshot): Finding[] {
  if ('skipped' in snapshot.events) return [];
  const sliceNames = new Set(sliceItems(snapshot).map((s) => s.metadata.name));
  const { name } = snapshot.service.metadata;
  const hinted = sliceItems(snapshot).some((slice) => (slice.endpoints ?? []).some((e) => e.hints?.forZones?.length || e.hints?.forNodes?.length));
  const warnings = snapshot.events.items.filter(
    (event) =>
      event.type === 'Warning' &&
      // The controller warns while it has too few endpoints for hints, and keeps the event after the
      // hints arrive: with hints in the slices that warning is history.
      !(hinted && event.reason === 'TopologyAwareHintsDisabled') &&
      ((event.involvedObject.kind === 'Service' && event.involvedObject.name === name) ||
        (event.involvedObject.kind === 'EndpointSlice' && sliceNames.has(event.involvedObject.name ?? ''))),
  );
  if (warnings.length === 0) return [];
  const events = warnings.map((e) => `${e.reason ?? 'Warning'}: ${e.message ?? ''}`.trim());
  return [raise('warning-events', { events }, [serviceRef(snapshot.service)])];
}
