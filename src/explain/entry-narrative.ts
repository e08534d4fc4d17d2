// entry trace → plain English (`kubectl svc-explain ingress/NAME`, `httproute/NAME`): what the entry
// is, where it is reached, where it sends, what is wrong; then each backend Service's own story.

import type { EntryBackend, EntryTrace, IngressHop, RouteHop } from '../analyze/entry-model.js';
import { firstOf } from '../render/style.js';
import { verdictOf } from '../analyze/trace.js';
import { explain, renderParagraphs, whatIsWrong } from './narrative.js';

// As it is said: an Ingress, an HTTPRoute ("aitch"), a GRPCRoute.
const article = (kind: string) => (kind === 'GRPCRoute' ? 'a' : 'an');

function whatItIs(trace: EntryTrace): string {
  const { entry } = trace;
  const where = `${entry.name} is ${article(entry.kind)} ${entry.kind} in namespace ${entry.namespace}${trace.source === 'manifests' ? ' (read from manifests, not from a cluster)' : ''}`;
  const address =
    entry.addresses.length > 0 ? ` It is reached at ${entry.addresses.join(', ')}.` : trace.source === 'cluster' ? ' It has no address yet.' : '';
  const hosts = entry.hostnames.filter((h) => h !== '*');
  const forHosts = hosts.length > 0 ? ` for ${firstOf(hosts, 4).join(', ')}` : ' for any host';
  const ingress = trace.hops.find((h): h is IngressHop => h.kind === 'ingress');
  if (ingress) {
    const klass = ingress.className ? ` of class ${ingress.className}${ingress.controller ? ` (controller ${ingress.controller})` : ''}` : ' with no class';
    return `${where}${klass}${forHosts}.${address}`;
  }
  const route = trace.hops.find((h): h is RouteHop => h.kind === 'route')!;
  const parents = route.parents.map((p) => `${p.kind} ${p.namespace}/${p.name}${p.accepted === 'True' ? ' (accepted)' : p.accepted ? ' (not accepted)' : ''}`);
  const attached = parents.length > 0 ? `, attached to ${parents.join(', ')}` : ', attached to no Gateway';
  return `${where}${forHosts}${attached}.${address}`;
}

function whereItSends(trace: EntryTrace): string {
  if (trace.backends.length === 0) return 'It sends to no Service.';
  const sends = trace.backends.map((b) => `${firstOf(b.from, 2).join(' and ')} to Service ${b.namespace}/${b.name} port ${b.port || '<none>'}`);
  return `It sends ${firstOf(sends, 5).join('; ')}.`;
}

function backendStory(backend: EntryBackend): string[] {
  const name = `Service ${backend.namespace}/${backend.name}`;
  if (!backend.trace) {
    return [`${name}: ${backend.state === 'missing' ? 'it does not exist.' : 'it may not be referred to from here (no ReferenceGrant).'}`];
  }
  const [first, ...rest] = explain(backend.trace);
  return [`${name} (port ${backend.port || '<none>'}): ${first ?? ''}`, ...rest];
}

export function explainEntry(trace: EntryTrace): string[] {
  return [
    whatItIs(trace),
    whereItSends(trace),
    ...whatIsWrong({ ...trace, verdict: verdictOf(trace.findings) }),
    ...trace.backends.flatMap(backendStory),
  ].filter((p) => p.length > 0);
}

export function renderEntryExplanation(trace: EntryTrace, columns = 100): string {
  return renderParagraphs(explainEntry(trace), columns);
}
