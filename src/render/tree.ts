// -o tree: the ink view rendered once to a string. ink and React are loaded only here.

import type { EntryTrace } from '../analyze/entry-model.js';
import type { Trace } from '../analyze/model.js';

interface TreeOptions {
  color: boolean;
  columns: number;
}

async function renderView<P extends object>(load: () => Promise<(props: P) => unknown>, props: P, options: TreeOptions): Promise<string> {
  const [{ renderToString }, { createElement }, view, { default: chalk }] = await Promise.all([import('ink'), import('react'), load(), import('chalk')]);
  // ink colours through chalk, which guesses from the process; --color has already decided.
  const level = chalk.level;
  chalk.level = options.color ? Math.max(level, 1) as typeof level : 0;
  try {
    return `${renderToString(createElement(view as (props: P) => React.ReactElement, props), { columns: options.columns })}\n`;
  } finally {
    chalk.level = level;
  }
}

export function renderTree(trace: Trace, options: TreeOptions): Promise<string> {
  return renderView(async () => (await import('../ui/trace-tree.js')).TraceTree, { trace, color: options.color }, options);
}

export function renderEntryTree(trace: EntryTrace, options: TreeOptions): Promise<string> {
  return renderView(async () => (await import('../ui/entry-tree.js')).EntryTree, { trace, color: options.color }, options);
}
