#!/usr/bin/env node
// npm's kubectl-svc_explain: the bundled CLI, see launch.js.
import { launch } from './launch.js';

await launch('explain', process.argv.slice(2));
