// The dns hop: which names resolve from the client, and to what (headless-service,
// externalname-unresolvable, externalname-target-no-endpoints; the cluster DNS itself in cluster-dns.ts).

import type { Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import { analyzeClusterDns, clusterDnsNotes } from './cluster-dns.js';
import { hopStatus, type HopResult } from './hop.js';
import type { DnsHop, DnsRecord, EndpointRow, Finding } from './model.js';
import { serviceRef } from './refs.js';
import { isHeadless, unassigned } from './service.js';

// The endpoints matter to a headless Service, whose names answer with the ready pods' addresses.
export function dnsHop(snapshot: Snapshot, endpoints: EndpointRow[]): HopResult<DnsHop> {
  const { service } = snapshot;
  const findings = analyzeDns(snapshot);
  if (snapshot.client.kind === 'external') {
    return { hop: { kind: 'dns', status: 'skip', summary: 'outside the cluster: no cluster DNS', notes: [], records: [] }, findings };
  }
  const records = dnsRecords(snapshot, endpoints);
  // The summary names the FQDN of a ClusterIP Service, else the first name (a headless Service's pod names come last).
  const shown = records[records.length > 1 && service.spec.type !== 'ExternalName' && !isHeadless(service) ? records.length - 1 : 0];
  return {
    hop: {
      kind: 'dns',
      status: hopStatus('dns', findings),
      summary: `${shown?.name ?? service.metadata.name} → ${records[0]?.answers.join(', ') || '<none>'}`,
      notes: dnsNotes(snapshot),
      records,
    },
    findings,
  };
}

function clientNamespace(snapshot: Snapshot): string | undefined {
  const { client } = snapshot;
  if (client.kind === 'pod') return client.pod.metadata.namespace;
  if (client.kind === 'generic') return client.namespace;
  return undefined;
}

function dnsRecords(snapshot: Snapshot, rows: EndpointRow[]): DnsRecord[] {
  const { service, clusterDomain } = snapshot;
  const name = service.metadata.name;
  const namespace = service.metadata.namespace ?? 'default';
  const spec = service.spec;
  const fqdn = `${name}.${namespace}.svc.${clusterDomain}`;
  const names = [`${name}.${namespace}`, `${name}.${namespace}.svc`, fqdn];
  if (clientNamespace(snapshot) === namespace) names.unshift(name);

  if (spec.type === 'ExternalName') {
    return names.map((n) => ({ name: n, type: 'CNAME' as const, answers: [spec.externalName ?? '<none>'] }));
  }
  const headless = isHeadless(service);
  const published = rows.filter((r) => r.ready || (spec.publishNotReadyAddresses && !r.terminating));
  const answers = headless ? [...new Set(published.map((r) => r.address))] : (spec.clusterIPs ?? [spec.clusterIP ?? unassigned]);
  const records: DnsRecord[] = names.map((n) => ({ name: n, type: answers.length > 0 ? 'A/AAAA' : 'none', answers }));
  if (headless) {
    // StatefulSet pods (and any endpoint with a hostname) get a name of their own.
    const slices = 'items' in snapshot.endpointSlices ? snapshot.endpointSlices.items : [];
    for (const slice of slices) {
      for (const endpoint of slice.endpoints ?? []) {
        if (endpoint.hostname && published.some((r) => r.address === endpoint.addresses[0])) {
          records.push({ name: `${endpoint.hostname}.${fqdn}`, type: 'A/AAAA', answers: [endpoint.addresses[0]!] });
        }
      }
    }
  }
  return records;
}

function dnsNotes(snapshot: Snapshot): string[] {
  const { client, service } = snapshot;
  const notes: string[] = [];
  if (client.kind === 'node') notes.push('nodes usually do not use the cluster DNS: connect to the ClusterIP or a pod name from a pod');
  const namespace = clientNamespace(snapshot);
  if (namespace && namespace !== service.metadata.namespace) {
    const { name } = service.metadata;
    notes.push(
      `the short name ${name} does not resolve from namespace ${namespace} (the client's search path looks for ${name}.${namespace}.svc.${snapshot.clusterDomain}): use ${name}.${service.metadata.namespace}`,
    );
  }
  notes.push(...clusterDnsNotes(snapshot));
  if (service.spec.type === 'ExternalName' && 'skipped' in snapshot.externalName) notes.push(snapshot.externalName.skipped);
  if (service.spec.type === 'ExternalName' && 'clusterService' in snapshot.externalName && snapshot.externalName.found) {
    const { clusterService, readyEndpoints } = snapshot.externalName;
    notes.push(`a name of the cluster, checked through the API: Service ${clusterService.namespace}/${clusterService.name}${readyEndpoints !== undefined ? ` has ${readyEndpoints} ready endpoint(s)` : ' exists'}`);
  }
  if (service.spec.type === 'ExternalName' && 'addresses' in snapshot.externalName) {
    notes.push(`resolved from the machine running svc-trace: ${snapshot.externalName.addresses.join(', ') || '<none>'}`);
  }
  return notes;
}

function analyzeDns(snapshot: Snapshot): Finding[] {
  const { service, externalName } = snapshot;
  const ref = [serviceRef(service)];
  const clusterDns = analyzeClusterDns(snapshot);
  if (service.spec.type === 'ExternalName') {
    const target = service.spec.externalName ?? '';
    // Resolved on the workstation, which need not see what the cluster's DNS sees: a warning that says so.
    if ('error' in externalName) {
      return [raise('externalname-unresolvable', { externalName: target, error: externalName.error, where: 'from the machine running svc-trace' }, ref, 'warning'), ...clusterDns];
    }
    if ('clusterService' in externalName) {
      const { namespace, name } = externalName.clusterService;
      if (!externalName.found) {
        return [raise('externalname-unresolvable', { externalName: target, error: `no Service ${name} in namespace ${namespace} (checked through the API)` }, ref), ...clusterDns];
      }
      if (externalName.readyEndpoints === 0) return [raise('externalname-target-no-endpoints', { externalName: target, service: `${namespace}/${name}` }, ref), ...clusterDns];
    }
    return clusterDns;
  }
  return isHeadless(service) ? [raise('headless-service', {}, ref), ...clusterDns] : clusterDns;
}
