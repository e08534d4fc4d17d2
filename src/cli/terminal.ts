// The process's streams as the services see them.

import type { Terminal } from '../services/output.js';
import { useColor } from './flags.js';

export function processTerminal(color: 'auto' | 'always' | 'never'): Terminal {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns || 100,
    color: useColor(color, process.stdout),
  };
}
