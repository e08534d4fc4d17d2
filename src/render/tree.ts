// -o tree: the ink view rendered once to a string. ink and React are loaded only here.

import type { Trace } from '../analyze/model.js';

export async function renderTree(trace: Trace, options: { color: boolean; columns: number }): Promise<string> {
  const [{ renderToString }, { createElement }, { TraceTree }] = await Promise.all([
    import('ink'),
    import('react'),
    import('../ui/trace-tree.js'),
  ]);
  return `${renderToString(createElement(TraceTree, { trace, color: options.color }), { columns: options.columns })}\n`;
}
