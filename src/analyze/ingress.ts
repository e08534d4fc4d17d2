// The ingress hop of `kubectl svc-trace ingress/NAME`: class, address, rules, TLS, and the backend
// Services the rules send to — with the findings ingress-* (README, Findings). Pure.

import type { Ingress, IngressBackend, IngressClass } from '../kube/entries.js';
import type { Service } from '../kube/types.js';
import type { IngressEntry } from '../snapshot.js';
import { raise } from './catalogue.js';
import { findBackends } from './entry-backends.js';
import type { EntryRuleRow, IngressHop, TlsRow } from './entry-model.js';
import { hopStatus, type EntryHopsResult } from './hop.js';
import type { Finding, ObjectRef } from './model.js';
import { refOf } from './refs.js';

const classAnnotation = 'kubernetes.io/ingress.class';
const defaultClassAnnotation = 'ingressclass.kubernetes.io/is-default-class';

export const ingressRef = (ingress: Ingress): ObjectRef => refOf('Ingress', ingress);
const nameOf = (ingress: Ingress) => `${ingress.metadata.namespace}/${ingress.metadata.name}`;

// `name:port` of a Service backend as the Ingress writes it (port.name, else port.number).
export function ingressPort(backend: IngressBackend): string {
  const port = backend.service?.port;
  return port?.name ? port.name : port?.number !== undefined ? String(port.number) : '';
}

// Every backend the Ingress names, in rule order: the default backend first, as controllers list it.
export function ingressBackends(ingress: Ingress): Array<{ rule: EntryRuleRow; backend: IngressBackend }> {
  const namespace = ingress.metadata.namespace ?? 'default';
  const target = (backend: IngressBackend) =>
    backend.service
      ? `${namespace}/${backend.service.name}:${ingressPort(backend)}`
      : `${backend.resource?.kind ?? 'resource'}/${backend.resource?.name ?? '<none>'}`;
  const rows: Array<{ rule: EntryRuleRow; backend: IngressBackend }> = [];
  if (ingress.spec.defaultBackend) {
    const backend = ingress.spec.defaultBackend;
    rows.push({ rule: { host: '*', match: 'default backend', backends: [target(backend)] }, backend });
  }
  for (const rule of ingress.spec.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      const match = `${path.path ?? '/'} (${path.pathType ?? 'ImplementationSpecific'})`;
      rows.push({ rule: { host: rule.host ?? '*', match, backends: [target(path.backend)] }, backend: path.backend });
    }
  }
  return rows;
}

function ingressClass(entry: IngressEntry): Pick<IngressHop, 'className' | 'classSource' | 'controller'> & { findings: Finding[]; notes: string[] } {
  const { ingress, ingressClasses } = entry;
  const fromSpec = ingress.spec.ingressClassName;
  const fromAnnotation = ingress.metadata.annotations?.[classAnnotation];
  const ref = [ingressRef(ingress)];
  if ('skipped' in ingressClasses) {
    const className = fromSpec ?? fromAnnotation ?? null;
    return { className, classSource: fromSpec ? 'spec' : fromAnnotation ? 'annotation' : 'none', findings: [], notes: [ingressClasses.skipped] };
  }
  const classes = ingressClasses.items;
  const names = classes.map((c) => c.metadata.name).sort();
  const controllerOf = (c: IngressClass | undefined) => (c?.spec.controller ? { controller: c.spec.controller } : {});
  if (fromSpec) {
    const found = classes.find((c) => c.metadata.name === fromSpec);
    const findings = found ? [] : [raise('ingress-class-missing', { ingress: nameOf(ingress), className: fromSpec, classes: names }, ref)];
    return { className: fromSpec, classSource: 'spec', ...controllerOf(found), findings, notes: [] };
  }
  if (fromAnnotation) {
    // The deprecated annotation is read by controllers without any IngressClass object: not an error.
    const found = classes.find((c) => c.metadata.name === fromAnnotation);
    return { className: fromAnnotation, classSource: 'annotation', ...controllerOf(found), findings: [], notes: [`class set by the deprecated annotation ${classAnnotation}`] };
  }
  const defaults = classes.filter((c) => c.metadata.annotations?.[defaultClassAnnotation] === 'true');
  if (defaults.length > 0) return { className: defaults[0]!.metadata.name, classSource: 'default', ...controllerOf(defaults[0]), findings: [], notes: [] };
  return { className: null, classSource: 'none', findings: [raise('ingress-class-missing', { ingress: nameOf(ingress), className: null, classes: names }, ref)], notes: [] };
}

function tlsRows(entry: IngressEntry): { rows: TlsRow[]; findings: Finding[]; notes: string[] } {
  const { ingress, secrets } = entry;
  const namespace = ingress.metadata.namespace ?? 'default';
  const findings: Finding[] = [];
  const notes: string[] = [];
  const rows = (ingress.spec.tls ?? []).map((tls): TlsRow => {
    const hosts = tls.hosts ?? [];
    if (!tls.secretName) return { hosts, secretName: '<none>', secret: 'default-certificate' };
    if ('skipped' in secrets) {
      if (!notes.includes(secrets.skipped)) notes.push(secrets.skipped);
      return { hosts, secretName: tls.secretName, secret: 'unknown' };
    }
    if (secrets.items.some((s) => s.namespace === namespace && s.name === tls.secretName)) return { hosts, secretName: tls.secretName, secret: 'found' };
    findings.push(raise('ingress-tls-secret-missing', { secretName: tls.secretName, namespace, hosts }, [{ kind: 'Secret', name: tls.secretName, namespace }, ingressRef(ingress)]));
    return { hosts, secretName: tls.secretName, secret: 'missing' };
  });
  return { rows, findings, notes };
}

export function ingressHop(entry: IngressEntry, services: Record<string, Service | undefined>, source: 'cluster' | 'manifests'): EntryHopsResult<[IngressHop]> {
  const { ingress } = entry;
  const namespace = ingress.metadata.namespace ?? 'default';
  const name = nameOf(ingress);
  const ref = [ingressRef(ingress)];
  const klass = ingressClass(entry);
  const tls = tlsRows(entry);
  const named = ingressBackends(ingress);
  const findings: Finding[] = [...klass.findings, ...tls.findings];
  const notes = [...klass.notes, ...tls.notes];

  const serviceBackends = named.filter((n) => n.backend.service);
  if (named.length > serviceBackends.length) notes.push('resource backends (not Services) are not followed');
  if (named.length === 0) notes.push('no rule and no default backend: the Ingress sends nowhere');
  const backends = findBackends(
    serviceBackends.map((n) => ({ namespace, name: n.backend.service!.name, port: ingressPort(n.backend), from: `${n.rule.host} ${n.rule.match}` })),
    services,
  );
  for (const backend of backends) {
    const service = `${backend.namespace}/${backend.name}`;
    if (backend.state === 'missing') {
      findings.push(raise('ingress-backend-missing', { ingress: name, service: backend.name, namespace, rules: backend.from }, [{ kind: 'Service', name: backend.name, namespace }, ...ref]));
    } else if (backend.state === 'port-missing') {
      findings.push(raise('ingress-backend-port-missing', { ingress: name, service, port: backend.port, ports: backend.servicePorts }, [{ kind: 'Service', name: backend.name, namespace }, ...ref]));
    }
  }

  const addresses = (ingress.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean);
  if (source === 'cluster' && addresses.length === 0) findings.push(raise('ingress-no-address', { ingress: name, className: klass.className }, ref));
  if (source === 'manifests') notes.push('offline: the address is known only in a cluster');

  const hosts = [...new Set(named.map((n) => n.rule.host))];
  const where = addresses.length > 0 ? addresses.join(', ') : source === 'cluster' ? '<pending>' : '<unassigned>';
  const hop: IngressHop = {
    kind: 'ingress',
    summary: `class ${klass.className ?? '<none>'}, address ${where}, ${hosts.join(', ') || '<none>'}`,
    notes,
    className: klass.className,
    classSource: klass.classSource,
    ...(klass.controller ? { controller: klass.controller } : {}),
    addresses,
    rules: named.map((n) => n.rule),
    tls: tls.rows,
    status: hopStatus('ingress', findings),
  };
  return { hops: [hop], backends, findings };
}
