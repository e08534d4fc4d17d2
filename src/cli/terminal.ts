// The process's streams as the services see them.

import type { Terminal } from '../services/output.js';

export function processTerminal(color: 'auto' | 'always' | 'never'): Terminal {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stdout.columns || 100,
    color: useColor(color, process.stdout),
  };
}

// --color auto: colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
export function useColor(flag: 'auto' | 'always' | 'never', stream: NodeJS.WriteStream): boolean {
  if (flag === 'always') return true;
  if (flag === 'never') return false;
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}
