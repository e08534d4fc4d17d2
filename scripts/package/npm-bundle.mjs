#!/usr/bin/env node
// The npm install's entry, dist/svc-trace.cjs: the bundle the single executable runs (bundle.mjs),
// exporting the CLI for bin/ instead of starting it. Part of `npm run build`, so that the tests run
// what npm users run. Not minified: npm users' Node caches its compiled code (bin/ enables Node's
// compile cache), and a stack trace under --debug stays readable.
//
//   node scripts/package/npm-bundle.mjs

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundle } from './bundle.mjs';

const repository = path.resolve(import.meta.dirname, '..', '..');
const pjson = JSON.parse(await readFile(path.join(repository, 'package.json'), 'utf8'));
await bundle({ repository, pjson, outfile: path.join(repository, 'dist', 'svc-trace.cjs'), minify: false, entry: 'src/cli/npm-entry.ts' });
