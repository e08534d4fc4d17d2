// forward on a terminal: per forwarded port, where it listens, its endpoints (pod, node, target
// port, state), open connections, bytes each way and the last error; then the latest events.
// Redrawn as things change; q or Ctrl-C stops the forward.

import { Box, Text, render, useApp, useInput, useStdin } from 'ink';
import { useEffect, useState } from 'react';
import type { BackendState } from '../forward/backends.js';
import { describeState, formatBytes, formatTimeout } from '../forward/log.js';
import type { BackendView, ForwardView, PortView } from '../forward/view.js';

export interface DashboardSource {
  view: () => ForwardView;
  // Calls the listener after each change; returns the unsubscribe.
  subscribe: (listener: () => void) => () => void;
  // The user asked to stop (q, Ctrl-C).
  stop: () => void;
  // Settles once the forward is stopping, by whatever cause.
  stopped: Promise<void>;
}

const columns = { pod: 34, node: 16, target: 8, state: 14, open: 6, sent: 11 } as const;

const stateColors: Record<BackendState, string> = {
  ready: 'green',
  'not-ready': 'yellow',
  terminating: 'red',
  'no-port': 'red',
};

function Cell({ width, children, color }: { width?: number; children: string; color?: string }) {
  return (
    <Box width={width} flexShrink={0}>
      <Text color={color} wrap="truncate-end">
        {children}
      </Text>
    </Box>
  );
}

function BackendRow({ backend, color }: { backend: BackendView; color: boolean }) {
  return (
    <Box>
      <Cell width={columns.pod}>{backend.pod}</Cell>
      <Cell width={columns.node}>{backend.node ?? '<none>'}</Cell>
      <Cell width={columns.target}>{backend.targetPort === undefined ? '<none>' : String(backend.targetPort)}</Cell>
      <Cell width={columns.state} color={color ? stateColors[backend.state] : undefined}>
        {describeState(backend.state)}
      </Cell>
      <Cell width={columns.open}>{String(backend.open)}</Cell>
      <Cell width={columns.sent}>{formatBytes(backend.sent)}</Cell>
      <Cell>{formatBytes(backend.received)}</Cell>
    </Box>
  );
}

function PortPanel({ port, color }: { port: PortView; color: boolean }) {
  const total = port.backends.length;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold={color}>
        port {port.servicePort} → {port.listening.length > 0 ? port.listening.join(', ') : '<not listening>'}
      </Text>
      <Box paddingLeft={2} flexDirection="column">
        <Text>
          {port.ready}/{total} endpoints ready · {port.open} open · {port.waiting} waiting · sent {formatBytes(port.sent)} · received{' '}
          {formatBytes(port.received)}
        </Text>
        <Box>
          <Cell width={columns.pod}>POD</Cell>
          <Cell width={columns.node}>NODE</Cell>
          <Cell width={columns.target}>TARGET</Cell>
          <Cell width={columns.state}>STATE</Cell>
          <Cell width={columns.open}>OPEN</Cell>
          <Cell width={columns.sent}>SENT</Cell>
          <Cell>RECEIVED</Cell>
        </Box>
        {port.backends.length === 0 ? <Text>{'<none>'}</Text> : null}
        {port.backends.map((backend) => (
          <BackendRow key={backend.pod} backend={backend} color={color} />
        ))}
        {port.ready === 0 ? (
          <Text color={color ? 'yellow' : undefined}>
            no ready endpoint: new connections wait up to {formatTimeout(port.waitMs)} for one ({port.waiting} waiting)
          </Text>
        ) : null}
        {port.lastError ? (
          <Text color={color ? 'red' : undefined} wrap="truncate-end">
            last error: {port.lastError}
          </Text>
        ) : null}
      </Box>
    </Box>
  );
}

export function ForwardDashboard({ view, color }: { view: ForwardView; color: boolean }) {
  return (
    <Box flexDirection="column">
      <Box justifyContent="space-between">
        <Text bold={color}>
          svc-trace forward {view.namespace}/{view.service}
        </Text>
        <Text dimColor={color}>q or Ctrl-C stops</Text>
      </Box>
      {view.notice ? <Text color={color ? 'yellow' : undefined}>{view.notice}</Text> : null}
      {view.ports.map((port) => (
        <PortPanel key={port.port} port={port} color={color} />
      ))}
      <Box flexDirection="column" marginTop={1}>
        <Text bold={color}>recent events</Text>
        {view.recent.length === 0 ? <Text>{'  <none>'}</Text> : null}
        {view.recent.map((line, index) => (
          <Text key={index} wrap="truncate-end" dimColor={color}>
            {'  '}
            {line}
          </Text>
        ))}
      </Box>
    </Box>
  );
}

// Byte counters move without events: redraw at least this often.
const refreshMs = 500;

function LiveDashboard({ source, color }: { source: DashboardSource; color: boolean }) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [view, setView] = useState(source.view);
  useEffect(() => {
    let pending: NodeJS.Timeout | undefined;
    // A burst of events (a rollout, many connections) redraws once.
    const redraw = () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        setView(source.view());
      }, 50);
    };
    const unsubscribe = source.subscribe(redraw);
    const ticker = setInterval(redraw, refreshMs);
    void source.stopped.then(() => exit());
    return () => {
      unsubscribe();
      clearInterval(ticker);
      clearTimeout(pending);
    };
  }, [source, exit]);
  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) source.stop();
    },
    { isActive: isRawModeSupported === true },
  );
  return <ForwardDashboard view={view} color={color} />;
}

export async function showForwardDashboard(source: DashboardSource, color: boolean): Promise<void> {
  const instance = render(<LiveDashboard source={source} color={color} />, { exitOnCtrlC: false });
  await instance.waitUntilExit();
}
