// Entry of the single executable (scripts/package/build.mjs bundles it): one binary serves as
// kubectl-svc_trace and kubectl-svc_explain and tells which by the name it was started as.

import path from 'node:path';
import type { Interfaces } from '@oclif/core';
import { COMMANDS } from '../../commands/index.js';
import SvcTraceHelp from './help.js';
import { main } from './main.js';

// package.json's name, version and oclif section, written in by the bundler.
declare const SVC_TRACE_PACKAGE: Interfaces.PJSON;

// argv0 is the name as started (kubectl runs the krew symlink kubectl-svc_explain);
// execPath would be the file behind the symlink.
function executableOf(argv0: string): 'trace' | 'explain' {
  const name = path.basename(argv0.replaceAll('\\', '/')).replace(/\.exe$/i, '');
  return name === 'kubectl-svc_explain' ? 'explain' : 'trace';
}

void main(executableOf(process.argv0), process.argv.slice(2), path.dirname(process.execPath), {
  pjson: SVC_TRACE_PACKAGE,
  commands: COMMANDS,
  help: SvcTraceHelp,
});
