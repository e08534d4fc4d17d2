// -o tree: the ink view rendered once to a string. ink and React are loaded only here.

import type { Trace } from '../analyze/model.js';

export async function renderTree(trace: Trace, options: { color: boolean; columns: number }): Promise<string> {
  const [{ renderToString }, { createElement }, { TraceTree }, { default: chalk }] = await Promise.all([
    import('ink'),
    import('react'),
    import('../ui/trace-tree.js'),
    import('chalk'),
  ]);
  // ink colours through chalk, which guesses from the process; --color has already decided.
  const level = chalk.level;
  chalk.level = options.color ? Math.max(level, 1) as typeof level : 0;
  try {
    return `${renderToString(createElement(TraceTree, { trace, color: options.color }), { columns: options.columns })}\n`;
  } finally {
    chalk.level = level;
  }
}
