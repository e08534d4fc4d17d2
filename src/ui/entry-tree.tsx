// The TTY view of an entry trace (`-o tree`): the Ingress or route in a box with its hops and
// findings, then each backend Service's own trace tree. It draws the trace model only.

import { Box, Text } from 'ink';
import type { EntryTrace } from '../analyze/entry-model.js';
import { allFindings, backendTitle, entryHeader, entryHopDetails } from '../render/entry-details.js';
import { verdictLine } from '../render/text.js';
import { Findings, HopRow, TraceTree } from './trace-tree.js';

const verdictColor = { ok: 'green', degraded: 'yellow', broken: 'red' } as const;

export function EntryTree({ trace, color }: { trace: EntryTrace; color: boolean }) {
  const [[kind, title], ...facts] = entryHeader(trace);
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" borderStyle="round" borderColor={color ? verdictColor[trace.verdict] : undefined} paddingX={1}>
        <Text>
          <Text bold={color}>
            {kind!.replace(/:$/, '')} {title}
          </Text>
          {'  '}
          <Text color={color ? verdictColor[trace.verdict] : undefined}>{verdictLine({ verdict: trace.verdict, findings: allFindings(trace) })}</Text>
        </Text>
        <Text dimColor={color}>{facts.map(([label, value]) => `${label.replace(/:$/, '').toLowerCase()} ${value}`).join('  ')}</Text>
        <Text> </Text>
        {trace.hops.map((hop, index) => (
          <HopRow key={hop.kind} hop={hop} details={entryHopDetails(hop, false)} last={index === trace.hops.length - 1} color={color} />
        ))}
      </Box>
      <Findings findings={trace.findings} color={color} />
      {trace.backends.map((backend, index) => (
        <Box key={index} flexDirection="column" marginTop={1}>
          <Text bold={color}>
            → {backendTitle(backend)}
          </Text>
          {backend.trace && <TraceTree trace={backend.trace} color={color} />}
        </Box>
      ))}
    </Box>
  );
}
