// Preloaded (node --import, through NODE_OPTIONS) by young-generation.test.ts: each time Node starts
// (again, for a process that bin/launch.js replaces), appends the process id and the options Node was
// started with (process.execArgv, which V8 read its flags from) as one JSON line to the file named by
// SVC_TRACE_NODE_STARTS.

import { appendFileSync } from 'node:fs';

appendFileSync(process.env.SVC_TRACE_NODE_STARTS!, `${JSON.stringify({ pid: process.pid, execArgv: process.execArgv })}\n`);
