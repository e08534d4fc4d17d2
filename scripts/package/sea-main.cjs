// The single executable's main script. It runs the bundle (an SEA asset) with the V8 code cache
// that scripts/package/code-cache.mjs recorded by running the bundle: Node's own SEA code cache
// (useCodeCache) is made without running the script, so it holds only the outer function — every
// module wrapper inside a bundle is compiled lazily, i.e. again on every start.
//
// The wrapper text must stay byte-identical to code-cache-trainer.cjs, or V8 rejects the cache.
'use strict';

const { getRawAsset } = require('node:sea');
const { Script } = require('node:vm');

const source = Buffer.from(getRawAsset('svc-trace.cjs')).toString('utf8');
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: 'svc-trace.cjs',
  cachedData: Buffer.from(getRawAsset('svc-trace.code-cache')),
});
if (process.env.SVC_TRACE_CHECK_CODE_CACHE) process.stderr.write(`code cache ${script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
script.runInThisContext()(exports, require, module, __filename, __dirname);
