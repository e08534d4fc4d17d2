// The TTY view of a trace (`-o tree`): a box-drawn hop chain with coloured statuses, drawn with ink.
// It draws the trace model only; every fact comes from the analysis.

import { Box, Text } from 'ink';
import type { Finding, Hop, HopBase, Trace } from '../analyze/model.js';
import { hopDetails } from '../render/hop-details.js';
import { verdictLine } from '../render/text.js';
import { firstOf, statusIcon } from '../render/style.js';

const statusColor = { ok: 'green', warn: 'yellow', fail: 'red', skip: 'gray' } as const;
const levelColor = { error: 'red', warning: 'yellow', info: 'cyan' } as const;
const verdictColor = { ok: 'green', degraded: 'yellow', broken: 'red' } as const;

interface Props {
  trace: Trace;
  color: boolean;
}

function HopView({ hop, last, color }: { hop: Hop; last: boolean; color: boolean }) {
  return <HopRow hop={hop} details={hopDetails(hop, false)} last={last} color={color} />;
}

// One hop: status icon, kind and summary, then its detail lines and notes (an entry's hops too).
export function HopRow({ hop, details: lines, last, color }: { hop: HopBase & { kind: string }; details: string[]; last: boolean; color: boolean }) {
  const details = [...lines, ...hop.notes.map((note) => `note: ${note}`)];
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={12} flexShrink={0}>
          <Text>
            <Text color={color ? statusColor[hop.status] : undefined}>{statusIcon[hop.status]}</Text>{' '}
            <Text bold={color}>{hop.kind}</Text>
          </Text>
        </Box>
        <Text wrap="wrap">{hop.summary}</Text>
      </Box>
      {/* The chain to the next hop is a left border, so it runs past wrapped lines too. */}
      <Box flexDirection="column" borderStyle="single" borderTop={false} borderRight={false} borderBottom={false} borderLeft={!last} paddingLeft={last ? 11 : 10}>
        {details.map((line, index) => (
          <Text key={index} wrap="wrap" dimColor={color && line.startsWith('note:')}>
            {line}
          </Text>
        ))}
        {!last && details.length === 0 && <Text> </Text>}
      </Box>
    </Box>
  );
}

function FindingView({ finding, color }: { finding: Finding; color: boolean }) {
  return (
    <Box>
      <Box width={9} flexShrink={0}>
        <Text color={color ? levelColor[finding.level] : undefined}>{finding.level}</Text>
      </Box>
      <Box flexDirection="column" flexGrow={1}>
        <Text wrap="wrap">
          <Text bold={color}>{finding.id}</Text>: {finding.message}
        </Text>
        <Text wrap="wrap" dimColor={color}>
          hint: {finding.hint}
        </Text>
      </Box>
    </Box>
  );
}

export function TraceTree({ trace, color }: Props) {
  const { service } = trace;
  const title = `${service.type} ${service.namespace}/${service.name}${trace.source === 'manifests' ? ' (from manifests)' : ''}`;
  const facts = firstOf([service.clusterIP ?? '', ...service.external, ...service.ports].filter(Boolean), 8).join('  ');
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" borderStyle="round" borderColor={color ? verdictColor[trace.verdict] : undefined} paddingX={1}>
        <Text>
          <Text bold={color}>{title}</Text>
          {'  '}
          <Text color={color ? verdictColor[trace.verdict] : undefined}>{verdictLine(trace)}</Text>
        </Text>
        <Text dimColor={color}>{facts}</Text>
        <Text> </Text>
        {trace.hops.map((hop, index) => (
          <HopView key={hop.kind} hop={hop} last={index === trace.hops.length - 1} color={color} />
        ))}
      </Box>
      <Findings findings={trace.findings} color={color} />
    </Box>
  );
}

// The findings under the box, each with its hint (nothing when there is none).
export function Findings({ findings, color }: { findings: Finding[]; color: boolean }) {
  if (findings.length === 0) return null;
  return (
    <Box flexDirection="column" paddingX={1}>
      {findings.map((finding, index) => (
        <FindingView key={index} finding={finding} color={color} />
      ))}
    </Box>
  );
}
