// Records the bundle's V8 code cache after running it, so the cache holds the bytecode of every
// function those runs compiled (see sea-main.cjs for why). Run by code-cache.mjs with the pinned
// Node, which must be the binary the executable is made of:
//
//   node code-cache-trainer.cjs BUNDLE CACHE_OUT '[["--help"], ["--version"]]'
//
// Each argument list is one run of the CLI, one after another in this process; each run evaluates
// the bundle afresh (new module instances, same compiled functions).
'use strict';

const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { Script } = require('node:vm');

const [bundle, cacheOut, runsJson] = process.argv.slice(2);
const runs = JSON.parse(runsJson);
const source = readFileSync(bundle, 'utf8');
// Byte-identical to sea-main.cjs.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: 'svc-trace.cjs',
});
const entry = script.runInThisContext();
const executable = process.argv[1];

function runNext() {
  const argv = runs.shift();
  if (argv === undefined) return;
  process.argv = [process.execPath, executable, ...argv];
  const module = { exports: {} };
  entry(module.exports, createRequire(bundle), module, executable, __dirname); // the client chunk beside the bundle
}

// A run is over when the event loop has nothing left to do; then start the next one.
process.on('beforeExit', runNext);
process.on('exit', () => {
  writeFileSync(cacheOut, script.createCachedData());
  process.exitCode = 0; // the runs' own exit codes (a broken Service is 1) are not the trainer's
});
runNext();
