// expose's wizard (ink): the choices the flags left open — ports (multi-select), type, name —
// then, before anything is created, the Service as YAML, the API server's verdict on it
// (server-side dry run) and a preview trace of the pods that would back it; then y/n.
// It draws what the plan, the builder and the analysis say; it decides nothing itself.
//
// Keys go through one reducer, so that keys arriving together (a fast typist, a paste, tmux
// send-keys) each see the state the previous one left.

import { Box, Text, render, useInput, type Key } from 'ink';
import { useEffect, useReducer } from 'react';
import type { BackendRow, Trace } from '../analyze/model.js';
import { SvcTraceError } from '../errors.js';
import { dns1035Problem } from '../expose/names.js';
import { renderService } from '../expose/output.js';
import { portsForCandidates, serviceKinds, type Choices, type OpenChoice, type Plan, type ServiceKind } from '../expose/plan.js';
import type { Service, ServicePort } from '../kube/types.js';
import { TraceTree } from './trace-tree.js';

// The preview screen's facts: the trace of the would-be Service, and the API server's refusal if any.
export interface Preview {
  trace: Trace;
  refusal?: { message: string; hint: string };
}

// checked: the Service passed the existence check and the server-side dry run in the preview.
export type WizardOutcome = { action: 'done'; service: Service; checked: boolean } | { action: 'cancel' };
type Ending = WizardOutcome | { action: 'error'; error: unknown };

export interface ExposeWizardProps {
  plan: Plan;
  steps: OpenChoice[]; // the choice screens, in order
  review: boolean; // end with the preview and a y/n confirmation
  build: (choices: Choices) => Service; // may refuse the choices with a SvcTraceError
  prepare: (service: Service) => Promise<Preview>;
  columns: number;
  color: boolean;
  onDone: (outcome: Ending) => void;
}

interface Problem {
  message: string;
  hint?: string;
}

interface State {
  stage: number; // index into steps; steps.length is the preview
  portCursor: number;
  picked: boolean[];
  typeCursor: number;
  name: string;
  problem?: Problem;
  service?: Service;
  preview?: Preview;
  finished?: { line: string; outcome: Ending };
}

type Action =
  | { type: 'key'; input: string; key: Partial<Key> }
  | { type: 'previewed'; service: Service; preview: Preview }
  | { type: 'failed'; error: unknown };

const stepTitles: Record<OpenChoice, string> = { ports: 'ports', type: 'type', name: 'name' };

function offeredKinds(plan: Plan) {
  return serviceKinds.filter((entry) => plan.kinds.includes(entry.kind));
}

function choicesOf(props: ExposeWizardProps, state: State): Choices {
  const { plan } = props;
  const offered = offeredKinds(plan);
  return {
    ports: plan.ports ?? portsForCandidates(plan, plan.candidates.filter((_, index) => state.picked[index])),
    kind: plan.kind ?? offered[state.typeCursor]!.kind,
    name: state.name,
  };
}

function portSummary(port: ServicePort): string {
  return `${port.name ? `${port.name} ` : ''}${port.port}/${port.protocol ?? 'TCP'} → ${port.targetPort ?? port.port}`;
}

// Past the current step: the next one, or the Service built (and, with a review, the preview).
function next(props: ExposeWizardProps, state: State): State {
  if (state.stage + 1 < props.steps.length) return { ...state, stage: state.stage + 1, problem: undefined };
  const review = { ...state, stage: props.steps.length, problem: undefined, service: undefined, preview: undefined };
  let service: Service;
  try {
    service = props.build(choicesOf(props, state));
  } catch (error) {
    if (!(error instanceof SvcTraceError)) return { ...state, finished: { line: 'Failed.', outcome: { action: 'error', error } } };
    return { ...review, problem: { message: error.message, hint: error.hint } };
  }
  if (!props.review) {
    const line = `Service ${service.metadata.namespace}/${service.metadata.name}: ${service.spec.ports!.map(portSummary).join(', ')}`;
    return { ...state, finished: { line, outcome: { action: 'done', service, checked: false } } };
  }
  return { ...review, service };
}

function back(state: State): State {
  return { ...state, stage: Math.max(0, state.stage - 1), problem: undefined, service: undefined, preview: undefined };
}

const cancelled = (state: State): State => ({ ...state, finished: { line: 'Cancelled.', outcome: { action: 'cancel' } } });

function onKey(props: ExposeWizardProps, state: State, input: string, key: Partial<Key>): State {
  const step = props.steps[state.stage];
  if (key.escape || (key.ctrl && input === 'c')) return cancelled(state);
  if (step !== 'name' && (key.leftArrow || input === 'b') && state.stage > 0) return back(state);
  const up = key.upArrow || input === 'k';
  const down = key.downArrow || input === 'j';
  switch (step) {
    case 'ports': {
      const count = props.plan.candidates.length;
      if (input === 'q') return cancelled(state);
      if (up) return { ...state, portCursor: (state.portCursor + count - 1) % count };
      if (down) return { ...state, portCursor: (state.portCursor + 1) % count };
      if (input === ' ') return { ...state, problem: undefined, picked: state.picked.map((value, index) => (index === state.portCursor ? !value : value)) };
      if (input === 'a') return { ...state, problem: undefined, picked: state.picked.map(() => !state.picked.every(Boolean)) };
      if (key.return) return state.picked.some(Boolean) ? next(props, state) : { ...state, problem: { message: 'pick at least one port (space selects)' } };
      return state;
    }
    case 'type': {
      const count = offeredKinds(props.plan).length;
      if (input === 'q') return cancelled(state);
      if (up) return { ...state, typeCursor: (state.typeCursor + count - 1) % count };
      if (down) return { ...state, typeCursor: (state.typeCursor + 1) % count };
      if (key.return) return next(props, state);
      return state;
    }
    case 'name': {
      if (key.return) {
        const why = dns1035Problem(state.name);
        return why ? { ...state, problem: { message: `"${state.name}" is not a valid Service name: ${why}`, hint: 'lower-case letters, digits and "-", starting with a letter (a DNS-1035 label)' } } : next(props, state);
      }
      if (key.backspace || key.delete) return { ...state, problem: undefined, name: state.name.slice(0, -1) };
      if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow) {
        return { ...state, problem: undefined, name: state.name + input };
      }
      return state;
    }
    default: {
      // The preview: y creates — only once the checks have passed.
      if (input === 'n' || input === 'q') return cancelled(state);
      if (input === 'y' && state.service && state.preview && !state.preview.refusal && !state.problem) {
        const { service } = state;
        return { ...state, finished: { line: `Creating service ${service.metadata.namespace}/${service.metadata.name}…`, outcome: { action: 'done', service, checked: true } } };
      }
      return state;
    }
  }
}

export function wizardReducer(props: ExposeWizardProps) {
  return (state: State, action: Action): State => {
    if (state.finished) return state;
    switch (action.type) {
      case 'key':
        return onKey(props, state, action.input, action.key);
      case 'previewed':
        return state.service === action.service ? { ...state, preview: action.preview } : state;
      case 'failed':
        return { ...state, finished: { line: 'Failed.', outcome: { action: 'error', error: action.error } } };
    }
  };
}

export function initialState(props: ExposeWizardProps): State {
  const { plan } = props;
  const state: State = {
    stage: 0,
    portCursor: 0,
    picked: plan.candidates.map(() => true),
    typeCursor: 0,
    name: plan.name,
    ...(props.steps.includes('name') && plan.nameProblem ? { problem: { message: `"${plan.name}" is not a valid Service name: ${plan.nameProblem}` } } : {}),
  };
  // Nothing to choose (a confirmation only): straight to the preview.
  return props.steps.length === 0 ? next(props, state) : state;
}

function keyOf(character: string): { input: string; key: Partial<Key> } {
  if (character === '\r' || character === '\n') return { input: '', key: { return: true } };
  if (character === '\u007F' || character === '\b') return { input: '', key: { backspace: true } };
  if (character === '\t') return { input: '', key: { tab: true } };
  return { input: character, key: {} };
}

function Keys({ text, color }: { text: string; color: boolean }) {
  return <Text dimColor={color}>{text}</Text>;
}

function ProblemView({ problem, color }: { problem?: Problem; color: boolean }) {
  if (!problem) return null;
  return (
    <Box flexDirection="column">
      <Text color={color ? 'red' : undefined} wrap="wrap">
        ✖ {problem.message}
      </Text>
      {problem.hint && (
        <Text dimColor={color} wrap="wrap">
          {'  '}hint: {problem.hint}
        </Text>
      )}
    </Box>
  );
}

function PortsStep({ plan, state, color }: { plan: Plan; state: State; color: boolean }) {
  const chosen = plan.candidates.filter((_, index) => state.picked[index]);
  const width = Math.max(...plan.candidates.map((candidate) => (candidate.name ?? '').length), 4);
  return (
    <Box flexDirection="column">
      <Text bold={color}>Which container ports should the Service expose?</Text>
      {plan.candidates.map((candidate, index) => (
        <Text key={index} color={color && index === state.portCursor ? 'cyan' : undefined}>
          {index === state.portCursor ? '❯' : ' '} [{state.picked[index] ? 'x' : ' '}] {(candidate.name ?? '-').padEnd(width)}  {`${candidate.containerPort}/${candidate.protocol}`.padEnd(10)} container {candidate.container}
        </Text>
      ))}
      <Text> </Text>
      <Text wrap="wrap">Service ports: {chosen.length > 0 ? portsForCandidates(plan, chosen).map(portSummary).join(', ') : '<none>'}</Text>
    </Box>
  );
}

function TypeStep({ plan, state, color }: { plan: Plan; state: State; color: boolean }) {
  return (
    <Box flexDirection="column">
      <Text bold={color}>What type of Service?</Text>
      {offeredKinds(plan).map((entry, index) => (
        <Text key={entry.kind} color={color && index === state.typeCursor ? 'cyan' : undefined} wrap="truncate-end">
          {index === state.typeCursor ? '❯' : ' '} {entry.kind.padEnd(13)} {entry.meaning}
        </Text>
      ))}
    </Box>
  );
}

function NameStep({ state, color }: { state: State; color: boolean }) {
  return (
    <Text>
      <Text bold={color}>Name of the Service: </Text>
      {state.name}
      <Text inverse> </Text>
    </Text>
  );
}

// Which pods would back the Service, on which nodes, to which container ports (from the trace).
function BackedBy({ trace }: { trace: Trace }) {
  const hop = trace.hops.find((candidate) => candidate.kind === 'backend');
  const rows: BackendRow[] = hop?.kind === 'backend' ? hop.backends : [];
  const pods = [...new Set(rows.map((row) => row.pod))];
  if (pods.length === 0) return <Text>Would be backed by: no pod — the selector selects none of the live pods</Text>;
  const shown = pods.slice(0, 5);
  return (
    <Box flexDirection="column">
      <Text>Would be backed by {pods.length} live pod(s):</Text>
      {shown.map((pod) => {
        const mine = rows.filter((row) => row.pod === pod);
        const targets = mine.map((row) => `${row.servicePort} → ${row.containerPort ? `${row.container ? `${row.container}:` : ''}${row.containerPort}/${row.protocol}` : '<none>'}`);
        return (
          <Text key={pod} wrap="truncate-end">
            {'  '}
            {pod} on {mine[0]?.node ?? '<no node yet>'}: {targets.join(', ')}
          </Text>
        );
      })}
      {pods.length > shown.length && <Text>{`  + ${pods.length - shown.length} more`}</Text>}
    </Box>
  );
}

function ReviewStep({ state, color, columns }: { state: State; color: boolean; columns: number }) {
  const { service, preview } = state;
  if (!service) return null;
  const sideBySide = columns >= 100;
  return (
    <Box flexDirection="column">
      <Box flexDirection={sideBySide ? 'row' : 'column'}>
        <Box flexDirection="column" borderStyle="single" paddingX={1} marginRight={1} flexShrink={0} width={sideBySide ? Math.min(44, Math.floor(columns * 0.4)) : undefined}>
          <Text bold={color}>Service to create</Text>
          <Text wrap="truncate-end">{renderService(service, 'yaml').trimEnd()}</Text>
        </Box>
        <Box flexDirection="column" flexGrow={1} flexShrink={1}>
          {preview ? <TraceTree trace={preview.trace} color={color} /> : <Text>Checking with the API server (server-side dry run) and reading the pods…</Text>}
        </Box>
      </Box>
      {preview && <BackedBy trace={preview.trace} />}
      {preview?.refusal && <ProblemView problem={preview.refusal} color={color} />}
      {preview && !preview.refusal && <Text color={color ? 'green' : undefined}>✔ The API server accepts it (server-side dry run). Nothing is created until you say yes.</Text>}
      {preview && !preview.refusal && (
        <Text bold={color}>
          Create service {service.metadata.namespace}/{service.metadata.name}? [y/n]
        </Text>
      )}
    </Box>
  );
}

function keysFor(props: ExposeWizardProps, state: State): string {
  const step = props.steps[state.stage];
  const backKey = state.stage > 0 ? ' · b back' : '';
  switch (step) {
    case 'ports':
      return `↑/↓ move · space select · a all · enter confirm${backKey} · esc cancel`;
    case 'type':
      return `↑/↓ move · enter choose${backKey} · esc cancel`;
    case 'name':
      return 'type to edit · backspace delete · enter confirm · esc cancel';
    default:
      if (state.preview && !state.preview.refusal && !state.problem) return `y create · n cancel${props.steps.length > 0 ? ' · b back' : ''}`;
      return state.problem || state.preview ? `${props.steps.length > 0 ? 'b back to change it · ' : ''}esc cancel` : 'esc cancel';
  }
}

export function ExposeWizard(props: ExposeWizardProps) {
  const { plan, steps, prepare, columns, color, onDone } = props;
  const [state, dispatch] = useReducer(wizardReducer(props), props, initialState);
  useInput((input, key) => {
    // Several plain characters at once (a paste, tmux send-keys): one key each, Enter included.
    if (input.length > 1 && !input.startsWith('\u001B') && !key.ctrl && !key.meta) {
      for (const character of input) dispatch({ type: 'key', ...keyOf(character) });
    } else dispatch({ type: 'key', input, key });
  }, { isActive: !state.finished });

  useEffect(() => {
    const { service } = state;
    if (!service || state.preview) return;
    prepare(service).then(
      (preview) => dispatch({ type: 'previewed', service, preview }),
      (error: unknown) => dispatch({ type: 'failed', error }),
    );
  }, [state.service]);

  useEffect(() => {
    if (state.finished) onDone(state.finished.outcome);
  }, [state.finished]);

  if (state.finished) return <Text>{state.finished.line}</Text>;
  const step = steps[state.stage];
  const progress = step ? `step ${state.stage + 1} of ${steps.length}: ${stepTitles[step]}` : 'preview';
  return (
    <Box flexDirection="column" width={columns}>
      <Text>
        <Text bold={color}>
          expose {plan.workload.display} in namespace {plan.workload.namespace}
        </Text>
        <Text dimColor={color}>{`  ${progress}`}</Text>
      </Text>
      <Text> </Text>
      {step === 'ports' && <PortsStep plan={plan} state={state} color={color} />}
      {step === 'type' && <TypeStep plan={plan} state={state} color={color} />}
      {step === 'name' && <NameStep state={state} color={color} />}
      {step === undefined && <ReviewStep state={state} color={color} columns={columns} />}
      <ProblemView problem={state.problem} color={color} />
      <Keys color={color} text={keysFor(props, state)} />
    </Box>
  );
}

// Runs the wizard on the terminal until the user is done; ink and React are loaded only for this.
export async function runExposeWizard(options: Omit<ExposeWizardProps, 'onDone'> & { stdin?: NodeJS.ReadStream }): Promise<WizardOutcome> {
  const { stdin, ...props } = options;
  let settle: (outcome: Ending) => void = () => {};
  const settled = new Promise<Ending>((resolve) => (settle = resolve));
  const instance = render(<ExposeWizard {...props} onDone={(outcome) => settle(outcome)} />, {
    ...(stdin ? { stdin } : {}),
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const outcome = await settled;
  instance.unmount();
  await instance.waitUntilExit();
  if (outcome.action === 'error') throw outcome.error;
  return outcome;
}
