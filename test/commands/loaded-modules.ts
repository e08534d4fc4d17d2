// Preloaded (node --import, through NODE_OPTIONS) by lazy.test.ts: when the process exits, writes
// every module it loaded (file URLs, one a line) to the file named by SVC_TRACE_LOADED_MODULES.

import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set<string>();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.SVC_TRACE_LOADED_MODULES!, [...loaded].join('\n')));
