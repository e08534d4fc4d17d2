#!/usr/bin/env node
// npm's kubectl-svc_trace: the bundled CLI, see launch.js.
import { launch } from './launch.js';

await launch('trace', process.argv.slice(2));
