// `-w` on a terminal: the trace tree, redrawn whenever the Service or its EndpointSlices change.
// q or Ctrl-C quits.

import { Box, Text, render, useApp, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { Trace } from '../analyze/model.js';
import { TraceTree } from './trace-tree.js';

export interface LiveSource {
  subscribe: (listener: (trace: Trace, error?: string) => void) => void;
  stop: () => void;
}

function LiveTrace({ source, initial, color }: { source: LiveSource; initial: Trace; color: boolean }) {
  const { exit } = useApp();
  const [state, setState] = useState<{ trace: Trace; error?: string; updates: number }>({ trace: initial, updates: 0 });
  useEffect(() => source.subscribe((trace, error) => setState((s) => ({ trace, error, updates: s.updates + 1 }))), [source]);
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) {
      source.stop();
      exit();
    }
  });
  return (
    <Box flexDirection="column">
      <TraceTree trace={state.trace} color={color} />
      <Text dimColor={color}>
        watching {state.trace.service.namespace}/{state.trace.service.name} ({state.updates} updates){state.error ? ` — ${state.error}` : ''} — q to quit
      </Text>
    </Box>
  );
}

export async function showLiveTrace(source: LiveSource, initial: Trace, color: boolean): Promise<void> {
  const instance = render(<LiveTrace source={source} initial={initial} color={color} />, { exitOnCtrlC: false });
  await instance.waitUntilExit();
}
