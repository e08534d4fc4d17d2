// The single executable's main script. It runs the bundle (an SEA asset) with the V8 code cache
// that scripts/package/code-cache.mjs recorded by running the bundle: Node's own SEA code cache
// (useCodeCache) is made without running the script, so it holds only the outer function — every
// module wrapper inside a bundle is compiled lazily, i.e. again on every start.
//
// The wrapper text must stay byte-identical to code-cache-trainer.cjs, or V8 rejects the cache.
'use strict';

const { getRawAsset } = require('node:sea');
const { Script } = require('node:vm');

const wrap = (source) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const text = (asset) => Buffer.from(getRawAsset(asset)).toString('utf8');

// The bundle requires Node's modules and one file, the Kubernetes client (bundle.mjs, clientChunk),
// which is another asset here, compiled on first use.
const clientChunk = './svc-trace-kubernetes-client.cjs';
let client;
function bundleRequire(id) {
  if (id !== clientChunk) return require(id);
  if (!client) {
    client = { exports: {} };
    new Script(wrap(text(clientChunk.slice(2))), { filename: clientChunk.slice(2) }).runInThisContext()(client.exports, require, client, __filename, __dirname);
  }
  return client.exports;
}

const script = new Script(wrap(text('svc-trace.cjs')), {
  filename: 'svc-trace.cjs',
  cachedData: Buffer.from(getRawAsset('svc-trace.code-cache')),
});
if (process.env.SVC_TRACE_CHECK_CODE_CACHE) process.stderr.write(`code cache ${script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
script.runInThisContext()(exports, bundleRequire, module, __filename, __dirname);
