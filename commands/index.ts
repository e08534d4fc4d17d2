// Every command, named explicitly so that oclif never scans the disk for them (and a bundle works).

import Assert from './assert.js';
import Explain from './explain.js';
import Expose from './expose.js';
import Forward from './forward.js';
import Trace from './trace.js';

export const COMMANDS = {
  trace: Trace,
  explain: Explain,
  assert: Assert,
  forward: Forward,
  expose: Expose,
};
