// Entry of the npm install's bundle (dist/svc-trace.cjs, written by `npm run build`): the same
// bundled CLI as the single executable — one file to read and compile instead of some 370 modules,
// package.json and the commands compiled in — started by bin/kubectl-svc_trace.js and
// bin/kubectl-svc_explain.js.

import type { Interfaces } from '@oclif/core';
import { COMMANDS } from '../../commands/index.js';
import SvcTraceHelp from './help.js';
import { main } from './main.js';

// package.json's name, version and oclif section, written in by the bundler.
declare const SVC_TRACE_PACKAGE: Interfaces.PJSON;

// `root`: the installed package's directory.
export function start(executable: 'trace' | 'explain', argv: string[], root: string): Promise<void> {
  return main(executable, argv, root, { pjson: SVC_TRACE_PACKAGE, commands: COMMANDS, help: SvcTraceHelp });
}
