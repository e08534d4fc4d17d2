// trace → plain English (`kubectl svc-explain`): what the Service is, how it is reached, who backs
// it, what is wrong and what to do. Pure: it only rephrases the trace.

import type { BackendHop, DnsHop, EndpointHop, FrontendHop, Hop, RoutingHop, Trace } from '../analyze/model.js';
import { formatLabels } from '../kube/labels.js';
import { firstOf } from '../render/style.js';

function hop<K extends Hop['kind']>(trace: Trace, kind: K): Extract<Hop, { kind: K }> {
  return trace.hops.find((h) => h.kind === kind) as Extract<Hop, { kind: K }>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
// Capitalised only when it starts with a plain word: never `targetPort`, `kube-proxy` or `kubectl`.
export const sentence = (text: string) => {
  const first = text.split(' ')[0] ?? '';
  const plain = /^[a-z]+:?$/.test(first) && first !== 'kubectl';
  return `${plain ? text.charAt(0).toUpperCase() + text.slice(1) : text}${/[.!?]$/.test(text) ? '' : '.'}`;
};

function whatItIs(trace: Trace, backends: BackendHop): string {
  const { service } = trace;
  const where = `in namespace ${service.namespace}`;
  if (service.type === 'ExternalName') return `${service.name} is an ExternalName Service ${where}: an alias in DNS for ${service.external[0]}. It has no pods and no virtual IP.`;
  const kind = service.clusterIP === 'None' ? 'a headless Service' : `a ${service.type} Service`;
  const selects = service.selector && Object.keys(service.selector).length > 0
    ? `It selects the pods labelled ${formatLabels(service.selector)}`
    : 'It has no selector: its endpoints are maintained by hand or by another controller';
  const targets = [...new Set(backends.backends.filter((b) => b.containerPort).map((b) => `port ${b.servicePort} to container port ${b.containerPort}/${b.protocol}`))];
  const forwards = targets.length > 0 ? ` and forwards ${firstOf(targets, 4).join(', ')}` : service.ports.length ? ` on ${service.ports.join(', ')}` : '';
  return `${service.name} is ${kind} ${where}${trace.source === 'manifests' ? ' (read from manifests, not from a cluster)' : ''}. ${selects}${forwards}.`;
}

function howToReach(trace: Trace, dns: DnsHop, frontend: FrontendHop): string {
  const { service } = trace;
  const parts: string[] = [];
  if (dns.status !== 'skip' && dns.records.length > 0) {
    const names = dns.records.filter((r) => !r.name.includes(`.${service.name}.`)).map((r) => r.name);
    const answers = dns.records[0]!.answers;
    const to = service.type === 'ExternalName' ? `a CNAME to ${answers[0]}` : service.clusterIP === 'None' ? `the pod IPs ${firstOf(answers, 5).join(', ') || '(none yet)'}` : `the virtual IP ${answers.join(', ')}`;
    parts.push(`Inside the cluster, ${names.map((n) => `${n}`).join(', ')} resolve to ${to}.`);
    const podNames = dns.records.filter((r) => r.name.includes(`.${service.name}.`));
    if (podNames.length > 0) parts.push(`Each pod also has its own name, such as ${podNames[0]!.name}.`);
  }
  const byKind = (kind: string) => frontend.entries.filter((e) => e.kind === kind);
  const address = (e: FrontendHop['entries'][number]) => `${e.address}:${e.port}/${e.protocol}`;
  if (byKind('ClusterIP').length > 0) parts.push(`Clients connect to ${firstOf(byKind('ClusterIP').map(address), 4).join(', ')}.`);
  if (byKind('NodePort').length > 0) parts.push(`From outside, every node answers at its own IP on the node port: ${firstOf(byKind('NodePort').map(address), 4).join(', ')}.`);
  if (byKind('LoadBalancer').length > 0) parts.push(`The load balancer answers at ${byKind('LoadBalancer').map(address).join(', ')}.`);
  else if (service.type === 'LoadBalancer') parts.push('The load balancer has no address yet.');
  if (byKind('ExternalIP').length > 0) parts.push(`It also answers on the external IPs ${byKind('ExternalIP').map(address).join(', ')}.`);
  const inFront = (frontend.referencedBy ?? []).map((r) => `${r.kind} ${r.name} (port ${r.port || '<none>'}${r.problem ? ', which the Service does not have' : ''})`);
  if (inFront.length > 0) parts.push(`In front of it: ${firstOf(inFront, 4).join(', ')}.`);
  return parts.join(' ');
}

function whoBacksIt(trace: Trace, endpoints: EndpointHop, routing: RoutingHop): string {
  if (endpoints.status === 'skip') return endpoints.notes.length ? `Endpoints were not checked: ${endpoints.notes.join('; ')}.` : '';
  const counts = trace.endpoints ?? { ready: 0, total: 0 };
  if (counts.total === 0) return 'No endpoint backs it: traffic to it fails.';
  const rows = endpoints.endpoints.map((e) => {
    const where = [e.pod ? e.address : '', e.node ? `on ${e.node}` : '', e.zone ? `in ${e.zone}` : ''].filter(Boolean).join(' ');
    const facts = [where, e.ready ? '' : `not ready: ${e.reason ?? 'unknown'}`].filter(Boolean).join(', ');
    return `${e.pod ?? e.address}${facts ? ` (${facts})` : ''}`;
  });
  const routingText = routing.rules.length ? ` ${sentence(routing.rules.slice(0, 3).join('; '))}` : '';
  return `${plural(counts.total, 'endpoint')} ${counts.total === 1 ? 'backs' : 'back'} it, ${counts.ready} ready: ${firstOf(rows, 6).join(', ')}.${routingText}`;
}

// --probe: what one connection to each ready pod found, grouped by outcome.
function whatTheProbeFound(backends: BackendHop): string {
  const probed = backends.backends.filter((b) => b.probe);
  if (probed.length === 0) return '';
  const said = (outcome: string, words: string) => {
    const rows = probed.filter((b) => b.probe!.outcome === outcome);
    const each = rows.map((b) => `${b.pod} (port ${b.servicePort} → ${b.probe!.port}${b.probe!.milliseconds !== undefined ? `, ${b.probe!.milliseconds}ms` : ''})`);
    return rows.length > 0 ? `${words} ${firstOf(each, 5).join(', ')}` : '';
  };
  const parts = [
    said('accepted', 'accepted by'),
    said('refused', 'refused by'),
    said('timeout', 'unanswered within the probe timeout by'),
    said('failed', 'not settled for'),
  ].filter(Boolean);
  return `The probe opened one connection to each of ${plural(new Set(probed.map((b) => b.pod)).size, 'ready pod')} through the API server's port-forward and sent nothing: ${parts.join('; ')}.`;
}

// What is wrong and what to do, from findings and the hops' notes (a Service's or an entry's).
export function whatIsWrong(trace: Pick<Trace, 'findings' | 'verdict' | 'source'> & { hops: Array<{ notes: string[] }> }): string[] {
  const problems = trace.findings.filter((f) => f.level !== 'info');
  const notes = trace.findings.filter((f) => f.level === 'info');
  const paragraphs: string[] = [];
  if (problems.length === 0) paragraphs.push(trace.source === 'manifests' ? 'Nothing is wrong in the manifests.' : 'Nothing is wrong: every hop holds.');
  else {
    const verdict = trace.verdict === 'broken' ? 'It is broken' : 'It works, but degraded';
    paragraphs.push(`${verdict}:`);
    for (const f of problems) paragraphs.push(`- ${sentence(f.message)} To fix: ${sentence(f.hint)} (${f.id})`);
  }
  if (notes.length > 0) paragraphs.push(`Worth knowing: ${notes.map((f) => sentence(f.message)).join(' ')}`);
  const unchecked = trace.hops.flatMap((h) => h.notes);
  if (unchecked.length > 0) paragraphs.push(`Not checked: ${unchecked.map(sentence).join(' ')}`);
  return paragraphs;
}

export function explain(trace: Trace): string[] {
  const backends = hop(trace, 'backend');
  return [
    whatItIs(trace, backends),
    howToReach(trace, hop(trace, 'dns'), hop(trace, 'frontend')),
    whoBacksIt(trace, hop(trace, 'endpoint'), hop(trace, 'routing')),
    whatTheProbeFound(backends),
    ...whatIsWrong(trace),
  ].filter((p) => p.length > 0);
}

// Paragraphs wrapped to the terminal width, separated by blank lines.
export function renderExplanation(trace: Trace, columns = 100): string {
  return renderParagraphs(explain(trace), columns);
}

export function renderParagraphs(paragraphs: string[], columns = 100): string {
  const width = Math.max(40, Math.min(columns, 100));
  return `${paragraphs.map((p) => wrap(p, width)).join('\n\n')}\n`;
}

function wrap(text: string, width: number): string {
  const indent = text.startsWith('- ') ? '  ' : '';
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
