#!/usr/bin/env node
// npm's kubectl-svc_trace: the bundled CLI (dist/svc-trace.cjs), with Node's compile cache on, so
// that from the second run on its code is not compiled again (NODE_DISABLE_COMPILE_CACHE=1 turns it off).
import module from 'node:module';
import { fileURLToPath } from 'node:url';

module.enableCompileCache?.();
const { start } = module.createRequire(import.meta.url)('../dist/svc-trace.cjs');
await start('trace', process.argv.slice(2), fileURLToPath(new URL('..', import.meta.url)));
