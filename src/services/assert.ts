// `kubectl svc-trace assert`: gather → analyze → evaluate the assertions for each Service, once, or —
// with --timeout — again on every change the watch API reports (no polling) until they all hold or
// the time is up. The report goes to stdout; one line of progress per change to stderr.

import { portOf } from '../assert/assertions.js';
import { evaluateMissingService, evaluateService } from '../assert/evaluate.js';
import { renderJunit } from '../assert/junit.js';
import type { AssertionResult, ServiceEvaluation } from '../assert/model.js';
import type { AssertFormat } from '../assert/options.js';
import { progressLine } from '../assert/progress.js';
import { assertionResult, serviceKey } from '../assert/result.js';
import { renderAssertText } from '../assert/text.js';
import { analyze } from '../analyze/trace.js';
import type { Gateway } from '../cluster/gateway.js';
import { serviceNamesSelectedBy } from '../cluster/services.js';
import { DeadlineError, ExitCode, SvcTraceError, notFoundError, type ExitCodeValue } from '../errors.js';
import { parseDuration } from '../kube/duration.js';
import { renderJson } from '../render/data.js';
import type { AssertCommandRequest } from '../requests/assert.js';
import { connectOptions } from './connection.js';
import { reportRequests, type Terminal } from './output.js';

// One look at every Service asked for.
interface Look {
  evaluations: ServiceEvaluation[];
  missing: SvcTraceError[]; // why each missing Service is missing (with near names)
  passed: boolean;
}

// A burst of watch events (a rollout sends dozens) is evaluated once.
const settleMilliseconds = 250;
// After --timeout, the time the last look may take.
const finalLookMilliseconds = 1000;
// Services traced at the same time (each costs about six requests).
const parallelServices = 5;

async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function runAssert(request: AssertCommandRequest, terminal: Terminal): Promise<ExitCodeValue> {
  const [{ connect }, { gatherSnapshot }] = await Promise.all([import('../cluster/kubeconfig.js'), import('../cluster/gather.js')]);
  // --timeout bounds the whole command, requests and credential plugins included; the last look at
  // the deadline gets a moment more, and a cluster that does not answer it leaves the report so far.
  const deadline = request.timeoutMs > 0 ? { milliseconds: request.timeoutMs + finalLookMilliseconds, flag: `--timeout ${request.timeoutMs / 1000}s` } : undefined;
  const connecting = connectOptions(request, terminal);
  const connection = await connect({ ...connecting, deadline });
  const { gateway, namespace } = connection;
  const port = portOf(request.assertions);
  const probing = request.probe && {
    ...request.probe,
    port,
    upgradeTimeoutMs: request.requestTimeout ? parseDuration(request.requestTimeout, '--request-timeout') : 0,
    debug: connecting.debug,
  };
  // Loaded only with --probe: without it, no tunnel is ever opened.
  const probe = probing ? (await import('../probe/run.js')).withProbe : undefined;
  const selector = request.selector === undefined ? undefined : { namespace, labelSelector: request.selector };
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;

  const evaluate = async (name: string): Promise<{ evaluation: ServiceEvaluation; missing?: SvcTraceError }> => {
    try {
      const gathered = await gatherSnapshot(gateway, { namespace, name, kubeSystem: false });
      const snapshot = probe ? await probe(gateway, gathered, probing) : gathered;
      return { evaluation: evaluateService(snapshot, analyze(snapshot, { port }), request.assertions) };
    } catch (error) {
      // Not there (yet): a pipeline may be creating it; the wait goes on.
      if (error instanceof SvcTraceError && error.exitCode === ExitCode.notFound) {
        return { evaluation: evaluateMissingService({ namespace, name }, error, request.assertions), missing: error };
      }
      throw error;
    }
  };
  const look = async (): Promise<Look> => {
    const names = request.selector === undefined ? request.services : await serviceNamesSelectedBy(gateway, namespace, request.selector);
    const looked = await mapLimited(names, parallelServices, evaluate);
    const evaluations = looked.map((one) => one.evaluation);
    return {
      evaluations,
      missing: looked.flatMap((one) => (one.missing ? [one.missing] : [])),
      passed: evaluations.length > 0 && evaluations.every((e) => e.passed),
    };
  };

  const passingSince = new Map<string, number>();
  const record = (current: Look): void => {
    const now = seconds();
    for (const evaluation of current.evaluations) {
      const key = serviceKey(evaluation);
      if (!evaluation.passed) passingSince.delete(key);
      else if (!passingSince.has(key)) passingSince.set(key, now);
    }
  };

  let final = await look();
  let latest = final;
  record(final);
  let timedOut = false;
  if (!final.passed && request.timeoutMs > 0) {
    // stderr is a terminal: the progress line is redrawn in place instead of appended.
    const progress = progressWriter(terminal.stderr, terminal.stderrIsTTY);
    progress.show(progressLine(final.evaluations, selector));
    try {
      const waited = await waitForChanges({
        gateway,
        namespace,
        selector: request.selector,
        names: request.selector === undefined ? request.services : final.evaluations.map((e) => e.name),
        remainingMs: request.timeoutMs - seconds() * 1000,
        look,
        onLook: (current) => {
          latest = current;
          record(current);
          if (!current.passed) progress.show(progressLine(current.evaluations, selector));
        },
        onWarning: (message) => progress.warn(message),
      });
      if (waited === 'timeout') {
        // What holds at the deadline, freshly read: the report must not rest on a missed event.
        // A cluster that does not answer in time leaves the last look there was.
        try {
          final = await look();
        } catch (error) {
          if (!(error instanceof DeadlineError)) throw error;
          final = latest;
        }
        record(final);
        timedOut = !final.passed;
      } else {
        final = waited;
      }
    } finally {
      progress.end();
    }
  }

  const result = assertionResult(final.evaluations, { elapsedSeconds: seconds(), timeoutSeconds: request.timeoutMs / 1000, timedOut, passingSince }, selector);
  if (request.debug) reportRequests(terminal, gateway.requestCount);
  terminal.stdout.write(await renderAssertion(result, request.output, terminal));
  if (result.passed) return ExitCode.ok;
  // The report is out; a Service that never appeared is "not found" (exit 4), with near names.
  const missing = final.missing[0];
  if (missing) throw missing;
  if (selector && result.services.length === 0) {
    throw notFoundError(
      `no Service in namespace "${namespace}" matches -l ${selector.labelSelector}`,
      `list the Services and their labels with: kubectl get services -n ${namespace} --show-labels`,
    );
  }
  return ExitCode.broken;
}

async function renderAssertion(result: AssertionResult, format: AssertFormat, terminal: Terminal): Promise<string> {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'junit':
      return renderJunit(result);
    case 'markdown':
      return (await import('../render/markdown.js')).renderAssertMarkdown(result);
    default:
      return renderAssertText(result, { color: terminal.color });
  }
}

interface WaitContext {
  gateway: Gateway;
  namespace: string;
  selector?: string;
  names: string[];
  remainingMs: number;
  look: () => Promise<Look>;
  onLook: (current: Look) => void;
  onWarning: (message: string) => void;
}

// Follows every Service (and, for -l, the list of Services) through the watch API and looks again
// after each burst of changes. Resolves with the first look where everything holds, or 'timeout'.
async function waitForChanges(context: WaitContext): Promise<Look | 'timeout'> {
  const { followService, followSelectedServices, debounce } = await import('../cluster/follow.js');
  const { gateway, namespace } = context;
  const stop = new AbortController();
  let settle!: (outcome: Look | 'timeout' | { error: unknown }) => void;
  const finished = new Promise<Look | 'timeout' | { error: unknown }>((resolve) => (settle = resolve));
  let done = false;
  const finish = (outcome: Look | 'timeout' | { error: unknown }): void => {
    if (done) return;
    done = true;
    stop.abort();
    settle(outcome);
  };

  let running = false;
  let again = false;
  const lookAgain = (): void => {
    if (done) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    context
      .look()
      .then(
        (current) => {
          if (done) return;
          context.onLook(current);
          if (current.passed) finish(current);
          // -l: a Service that came into the selection is followed from now on (one that left is not).
          else if (context.selector !== undefined) follow(current.evaluations.map((e) => e.name));
        },
        (error: unknown) => {
          if (!done) context.onWarning(error instanceof SvcTraceError ? error.message : String(error));
        },
      )
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          lookAgain();
        }
      });
  };
  const onChange = debounce(lookAgain, settleMilliseconds);
  // Lost: one warning; back again: look again (the progress line comes back with it).
  const handlers = { onChange, onTrouble: (message: string | undefined) => (message === undefined ? onChange() : context.onWarning(message)) };
  // The first look came before the lists: look once more after them, so that no change falls between.
  const watch = (following: { synced: Promise<void>; done: Promise<void> }): void => {
    following.synced.then(onChange, () => undefined);
    // The command's deadline ends the wait as the timeout does: the report so far follows.
    following.done.catch((error: unknown) => finish(error instanceof DeadlineError ? 'timeout' : { error }));
  };

  const followed = new Map<string, AbortController>();
  const follow = (names: string[]): void => {
    for (const name of names) {
      if (followed.has(name)) continue;
      const controller = new AbortController();
      stop.signal.addEventListener('abort', () => controller.abort(), { once: true });
      followed.set(name, controller);
      watch(followService(gateway, { namespace, name }, handlers, controller.signal));
    }
    for (const [name, controller] of followed) {
      if (!names.includes(name)) {
        controller.abort();
        followed.delete(name);
      }
    }
  };

  follow(context.names);
  if (context.selector !== undefined) watch(followSelectedServices(gateway, { namespace, labelSelector: context.selector }, handlers, stop.signal));
  const timer = setTimeout(() => finish('timeout'), Math.max(0, context.remainingMs));
  const outcome = await finished;
  clearTimeout(timer);
  if (typeof outcome === 'object' && 'error' in outcome) throw outcome.error;
  return outcome;
}

// Progress on stderr: only when it changes; on a terminal one line redrawn in place.
function progressWriter(stderr: NodeJS.WritableStream, inPlace: boolean) {
  let last = '';
  let drawn = false;
  return {
    show(line: string): void {
      if (line === last) return;
      last = line;
      if (inPlace) {
        stderr.write(`\r\x1b[K${line}`);
        drawn = true;
      } else stderr.write(`${line}\n`);
    },
    warn(message: string): void {
      const line = `warning: ${message}`;
      if (line === last) return;
      last = line;
      stderr.write(inPlace && drawn ? `\r\x1b[K${line}\n` : `${line}\n`);
      drawn = false;
    },
    end(): void {
      if (inPlace && drawn) stderr.write('\r\x1b[K');
    },
  };
}
