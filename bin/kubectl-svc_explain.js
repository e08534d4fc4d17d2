#!/usr/bin/env node
// npm's kubectl-svc_explain: the bundled CLI (dist/svc-trace.cjs), with Node's compile cache on, so
// that from the second run on its code is not compiled again (NODE_DISABLE_COMPILE_CACHE=1 turns it off).
// SVC_TRACE_UNBUNDLED=1 runs the unbundled build in dist/src instead, module by module (the tests
// that watch which modules a command loads; the bundle keeps each dynamic import a lazily run part).
import module from 'node:module';
import { fileURLToPath } from 'node:url';

if (process.env.SVC_TRACE_UNBUNDLED === '1') {
  const { main } = await import('../dist/src/cli/main.js');
  await main('explain', process.argv.slice(2), import.meta.url);
} else {
  module.enableCompileCache?.();
  const { start } = module.createRequire(import.meta.url)('../dist/svc-trace.cjs');
  await start('explain', process.argv.slice(2), fileURLToPath(new URL('..', import.meta.url)));
}
