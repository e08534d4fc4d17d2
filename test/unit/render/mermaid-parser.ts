// Mermaid's own parser from npm (the `mermaid` package GitHub's renderer is built on), run under
// jsdom: mermaid needs a DOM only for DOMPurify, which sanitizes labels and documents jsdom for
// Node. No browser is needed to parse (drawing would need one: scripts/render-mermaid.mjs).
// If mermaid or jsdom cannot load, the tests that need it skip with the reason, loudly.

export interface ParsedFlowchart {
  vertices: Map<string, { text: string; classes: string[] }>;
  edges: Array<{ start: string; end: string; text: string }>;
}

export interface MermaidParser {
  parse: (text: string) => Promise<void>; // throws Mermaid's own error on a syntax error
  flowchart: (text: string) => Promise<ParsedFlowchart>;
}

let loading: Promise<MermaidParser | { unavailable: string }> | undefined;

async function load(): Promise<MermaidParser | { unavailable: string }> {
  try {
    const { JSDOM } = await import('jsdom');
    const { window } = new JSDOM('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { window, document: window.document });
    const { default: mermaid } = await import('mermaid');
    mermaid.initialize({ startOnLoad: false });
    return {
      parse: async (text) => {
        await mermaid.parse(text);
      },
      flowchart: async (text) => {
        const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
        const db = diagram.db as unknown as {
          getVertices: () => Map<string, { text: string; classes: string[] }>;
          getEdges: () => Array<{ start: string; end: string; text: string }>;
        };
        return { vertices: db.getVertices(), edges: db.getEdges() };
      },
    };
  } catch (error) {
    return { unavailable: `the Mermaid parser (npm mermaid under jsdom) could not load: ${(error as Error).message}` };
  }
}

export function mermaidParser(): Promise<MermaidParser | { unavailable: string }> {
  loading ??= load();
  return loading;
}
