// Every expected failure is one SvcTraceError: one sentence, a hint, and the exit code of the README's Exit codes table.
// Errors are translated into this type once, where they arise (flags, kubeconfig, gateway);
// the command layer prints them and exits.

export const ExitCode = {
  ok: 0,
  broken: 1,
  usage: 2,
  cluster: 3,
  notFound: 4,
  internal: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class SvcTraceError extends Error {
  readonly hint: string;
  readonly exitCode: ExitCodeValue;

  constructor(message: string, hint: string, exitCode: ExitCodeValue) {
    super(message);
    this.name = 'SvcTraceError';
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

export function usageError(message: string, hint: string): SvcTraceError {
  return new SvcTraceError(message, hint, ExitCode.usage);
}

export function clusterError(message: string, hint: string): SvcTraceError {
  return new SvcTraceError(message, hint, ExitCode.cluster);
}

export function notFoundError(message: string, hint: string): SvcTraceError {
  return new SvcTraceError(message, hint, ExitCode.notFound);
}

// An error Status from the API server (404, 403, 401, 5xx), already translated into words.
export class ApiStatusError extends SvcTraceError {
  readonly status: number;
  readonly reason: string;
  // The Status's own message, as the API server wrote it (expose quotes a 422's field errors).
  readonly apiMessage?: string;

  constructor(message: string, hint: string, exitCode: ExitCodeValue, status: number, reason: string, apiMessage?: string) {
    super(message, hint, exitCode);
    this.name = 'ApiStatusError';
    this.status = status;
    this.reason = reason;
    if (apiMessage !== undefined) this.apiMessage = apiMessage;
  }
}

// The command's own deadline (assert --timeout) passed while a request or a credential plugin was
// still running: every wait of the command ends with this error (exit 3).
export class DeadlineError extends SvcTraceError {
  constructor(message: string, hint: string) {
    super(message, hint, ExitCode.cluster);
    this.name = 'DeadlineError';
  }
}

// A bug in svc-trace, not the cluster's or the user's fault (exit 5).
export function internalErrorHint(): string {
  return 'this is a bug in svc-trace: please report it with the output of the same command run again with --debug';
}
