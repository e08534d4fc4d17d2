// -o mermaid (one trace): a Mermaid flowchart of the hop chain — client → dns → frontend → routing →
// endpoints → pods — that GitHub draws wherever Markdown goes (a ```mermaid block). Each node is
// labelled with its hop (or pod) and what it found, marked ✔ ⚠ ✖ ○ and coloured by status; an
// edge into a failing (or warning) node is labelled with the finding ids raised there.
// Every hop of the model becomes a node in model order, so hops added to the model show up too;
// the backend hop fans out into one node per pod.

import type { BackendRow, Finding, Hop, HopStatus, Trace } from '../analyze/model.js';
import { backendLine } from './hop-details.js';
import { entryColumn } from './list.js';
import { statusIcon } from './style.js';

// Mermaid's classDef colours: green, amber, red, grey (dashed) — readable on light and dark themes.
const classDefs: Record<HopStatus, string> = {
  ok: 'fill:#e6f4ea,stroke:#1e8e3e,color:#0d3d1b',
  warn: 'fill:#fef7e0,stroke:#f9ab00,color:#5c3c00',
  fail: 'fill:#fce8e6,stroke:#d93025,color:#5f1410',
  skip: 'fill:#f1f3f4,stroke:#9aa0a6,color:#3c4043,stroke-dasharray:4 3',
};
const edgeColour: Partial<Record<HopStatus, string>> = { fail: '#d93025', warn: '#f9ab00' };
const maxPods = 8;

// Text inside a quoted Mermaid label: entity codes for what Mermaid or HTML would read as syntax.
function label(text: string): string {
  return text
    .replaceAll('#', '#35;')
    .replaceAll('"', '#quot;')
    .replaceAll('<', '#lt;')
    .replaceAll('>', '#gt;')
    .replaceAll('`', '#96;');
}

const cut = (text: string, max = 80): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

interface Node {
  id: string;
  status: HopStatus;
  pod?: string; // a backend pod's node: the edge into it carries the findings that name the pod
  lines: string[]; // the first is the title (drawn bold)
}

interface Edge {
  from: string;
  to: string;
  ids: string[]; // finding ids on the edge
  status: HopStatus; // of the node it enters
}

function nodeText(node: Node): string {
  const [title, ...rest] = node.lines.map((line) => label(cut(line)));
  return [`<b>${statusIcon[node.status]} ${title}</b>`, ...rest].join('<br/>');
}

// The ids an edge into a node of this status carries: errors into a failing node, warnings into a warning one.
function edgeIds(findings: Finding[], status: HopStatus): string[] {
  const level = status === 'fail' ? 'error' : status === 'warn' ? 'warning' : undefined;
  return level ? [...new Set(findings.filter((f) => f.level === level).map((f) => f.id))] : [];
}

// A pod is as bad as the findings that name it, its port rows (a port problem, a denying policy,
// a refused probe) and its endpoint's readiness.
function podStatus(rows: BackendRow[], notReady: boolean, findings: Finding[]): HopStatus {
  if (findings.some((f) => f.level === 'error') || rows.some((row) => row.problem || row.networkPolicy === 'denied' || row.probe?.outcome === 'refused')) return 'fail';
  if (notReady || findings.some((f) => f.level === 'warning') || rows.some((row) => row.networkPolicy === 'unknown' || (row.probe && row.probe.outcome !== 'accepted'))) return 'warn';
  return 'ok';
}

const namesPod = (finding: Finding, pod: string): boolean => finding.objects.some((object) => object.kind === 'Pod' && object.name === pod);

// One node per backend pod (the first few, then `+ N more`), each with its ports as backendLine prints them.
function podNodes(hop: Extract<Hop, { kind: 'backend' }>, notReadyPods: Set<string>, findings: Finding[]): Node[] {
  const byPod = new Map<string, BackendRow[]>();
  for (const row of hop.backends) byPod.set(row.pod, [...(byPod.get(row.pod) ?? []), row]);
  const pods = [...byPod.entries()];
  const nodes: Node[] = pods.slice(0, maxPods).map(([pod, rows], index) => ({
    id: `pod_${index + 1}`,
    status: podStatus(rows, notReadyPods.has(pod), findings.filter((f) => namesPod(f, pod))),
    pod,
    lines: [`pod ${pod}${rows[0]?.node ? ` on ${rows[0].node}` : ''}`, ...rows.map((row) => backendLine(row).replace(` → ${row.pod} `, ' → '))],
  }));
  if (pods.length > maxPods) nodes.push({ id: 'pod_more', status: 'skip', lines: [`+ ${pods.length - maxPods} more pods`] });
  return nodes;
}

// The frontend hop also names the Ingresses and routes that send to the Service.
function inFront(hop: Hop, trace: Trace): string[] {
  const entries = hop.kind === 'frontend' ? entryColumn(trace) : '-';
  return entries === '-' ? [] : [`in front: ${entries}`];
}

export function renderMermaid(trace: Trace): string {
  const { service } = trace;
  const endpointHop = trace.hops.find((hop) => hop.kind === 'endpoint');
  const notReadyPods = new Set(endpointHop?.kind === 'endpoint' ? endpointHop.endpoints.filter((e) => !e.ready && e.pod).map((e) => e.pod!) : []);
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  let previous: string[] = [];
  for (const hop of trace.hops) {
    const findings = trace.findings.filter((f) => f.hop === hop.kind);
    const pods = hop.kind === 'backend' && hop.backends.length > 0 ? podNodes(hop, notReadyPods, findings) : [];
    // The findings on the edge into a pod: those that name it, else (none names a pod) the hop's.
    const namingPods = findings.filter((f) => f.objects.some((object) => object.kind === 'Pod'));
    const here: Node[] =
      pods.length > 0 ? pods : [{ id: `hop_${hop.kind.replace(/[^A-Za-z0-9]/g, '_')}`, status: hop.status, lines: [hop.kind, hop.summary, ...inFront(hop, trace)].filter(Boolean) }];
    for (const node of here) {
      nodes.push(node);
      const on = node.pod === undefined || namingPods.length === 0 ? findings : findings.filter((f) => namesPod(f, node.pod!));
      for (const from of previous) edges.push({ from, to: node.id, ids: edgeIds(on, node.status), status: node.status });
    }
    previous = here.map((node) => node.id);
  }

  // Names and verdicts hold only [a-z0-9.-], so the title needs no escaping.
  const lines = ['---', `title: "${service.namespace}/${service.name}: ${trace.verdict}"`, '---', 'flowchart LR'];
  for (const node of nodes) lines.push(`  ${node.id}["${nodeText(node)}"]`);
  for (const edge of edges) {
    lines.push(edge.ids.length > 0 ? `  ${edge.from} -- "${label(edge.ids.join(', '))}" --> ${edge.to}` : `  ${edge.from} --> ${edge.to}`);
  }
  for (const [status, style] of Object.entries(classDefs)) lines.push(`  classDef ${status} ${style}`);
  for (const status of Object.keys(classDefs) as HopStatus[]) {
    const ids = nodes.filter((node) => node.status === status).map((node) => node.id);
    if (ids.length > 0) lines.push(`  class ${ids.join(',')} ${status}`);
  }
  edges.forEach((edge, index) => {
    const colour = edgeColour[edge.status];
    if (colour && edge.ids.length > 0) lines.push(`  linkStyle ${index} stroke:${colour},stroke-width:2px`);
  });
  return `${lines.join('\n')}\n`;
}
