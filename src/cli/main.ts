// Entry point of both executables: routes argv to an oclif command and turns every failure into
// one line and an exit code (README, Exit codes). Nothing deeper calls process.exit.

import { Errors, flush, run } from '@oclif/core';
import { ExitCode, SvcTraceError, internalErrorHint } from '../errors.js';
import { runEmbedded, type Embedded } from './embedded.js';

const subcommands = new Set(['explain', 'assert', 'forward', 'expose']);

// `kubectl svc-trace web` runs trace; `kubectl svc-trace explain web` runs explain;
// `kubectl svc-explain web` runs explain. A Service named like a subcommand is reached as svc/NAME.
export function route(argv: string[], executable: 'trace' | 'explain'): string[] {
  if (executable === 'explain') return ['explain', ...argv];
  const first = argv[0];
  if (first === '--version' || first === '-v') return ['--version'];
  if (first !== undefined && subcommands.has(first)) return argv;
  return ['trace', ...argv];
}

export function report(error: unknown, debug: boolean, stderr: NodeJS.WritableStream): number {
  if (error instanceof Errors.ExitError) return error.oclif.exit ?? 0;
  if (debug && error instanceof Error) stderr.write(`${error.stack}\n`);
  if (error instanceof SvcTraceError) {
    stderr.write(`error: ${error.message}\nhint: ${error.hint}\n`);
    return error.exitCode;
  }
  if (error instanceof Errors.CLIError) {
    // oclif's parser errors (unknown flag, missing argument): usage errors.
    const message = error.message.split('\n')[0]!.replace(/^Error: /, '');
    stderr.write(`error: ${message}\nhint: see kubectl svc-trace --help\n`);
    return ExitCode.usage;
  }
  // Anything else is a bug of svc-trace (README, Exit codes): its own exit code, and a request for a report.
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`error: internal error: ${message.split('\n')[0]}\nhint: ${internalErrorHint()}\n`);
  return ExitCode.internal;
}

// `embedded`: the single executable passes package.json and the commands in (nothing on disk).
export async function main(executable: 'trace' | 'explain', argv: string[], root: string, embedded?: Embedded): Promise<void> {
  const debug = argv.includes('--debug');
  // `kubectl svc-trace | head`: a reader that has seen enough is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.env.SVC_TRACE_EXECUTABLE = executable; // for help's usage line
  // A failure outside the command's own chain (a callback, a stream) is a bug too: reported the same way.
  const crash = (error: unknown): void => {
    process.exitCode = report(error, debug, process.stderr);
    process.exit();
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  try {
    const routed = route(argv, executable);
    await (embedded ? runEmbedded(routed, root, embedded) : run(routed, root));
  } catch (error) {
    process.exitCode = report(error, debug, process.stderr);
  } finally {
    await flush();
  }
}
