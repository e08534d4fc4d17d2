// The backend hop: the pod and container port that receive the traffic for each Service port, and
// whether NetworkPolicy admits the client there (network-policy-blocks, network-policy-restricts);
// target-port findings come from ports.ts, what --probe found from probe.ts.

import { hasFinished, resolveTargetPort } from '../kube/pods.js';
import type { Pod, Protocol, ServicePort } from '../kube/types.js';
import type { Snapshot } from '../snapshot.js';
import { raise } from './catalogue.js';
import { hopStatus, type HopResult } from './hop.js';
import type { BackendHop, BackendRow, EndpointRow, Finding } from './model.js';
import { admittedPeers, admitsSomePodOf, evaluateEgress, evaluateIngress, type PolicyDecision } from './network-policy.js';
import { analyzePorts } from './ports.js';
import { analyzeProbe } from './probe.js';
import { podRef, serviceRef } from './refs.js';
import { portLabel } from './service-ports.js';

// `endpoints` are the endpoint hop's rows (a Service without selector has no pods, only addresses).
export function backendHop(snapshot: Snapshot, endpoints: EndpointRow[], ports: ServicePort[]): HopResult<BackendHop> {
  // Pods that have finished (a Job's Succeeded pods) are never endpoints: no port or policy of theirs matters.
  const running = snapshot.pods.filter((pod) => !hasFinished(pod));
  const backends = snapshot.service.spec.type === 'ExternalName' ? undefined : analyzeBackends({ ...snapshot, pods: running }, ports, endpoints);
  const probe = analyzeProbe(snapshot, backends?.backends ?? []);
  const findings = [...analyzePorts(snapshot.service, ports, running), ...(backends?.findings ?? []), ...probe.findings];
  if (!backends) return { hop: { kind: 'backend', status: 'skip', summary: 'ExternalName: no pods', notes: probe.notes, backends: [] }, findings };
  const status = hopStatus('backend', findings);
  const hop: BackendHop = {
    kind: 'backend',
    status: backends.backends.length === 0 && status === 'ok' ? 'skip' : status,
    summary: [backendSummary(backends.backends, snapshot.pods.length > 0), probe.summary].filter(Boolean).join('; '),
    notes: [...backends.notes, ...probe.notes],
    backends: backends.backends,
  };
  return { hop, findings };
}

function backendSummary(backends: BackendRow[], selectsPods: boolean): string {
  if (backends.length === 0) return 'no backend';
  const count = new Set(backends.map((b) => b.pod)).size;
  if (!selectsPods) return `${count} address(es) from the EndpointSlices`;
  const targets = [...new Set(backends.filter((b) => b.containerPort).map((b) => `${b.containerPort}`))];
  return `${count} pod(s), ${targets.length > 0 ? `container port ${targets.join(', ')}` : 'no container port resolved'}`;
}

interface Evaluated {
  row: BackendRow;
  decision?: PolicyDecision;
  pod?: Pod;
}

function podBackend(snapshot: Snapshot, pod: Pod, servicePort: ServicePort): Evaluated {
  const resolution = resolveTargetPort(pod, servicePort);
  const row: BackendRow = {
    pod: pod.metadata.name,
    servicePort: portLabel(servicePort),
    protocol: servicePort.protocol ?? 'TCP',
    networkPolicy: 'not-evaluated',
    policies: [],
  };
  if (pod.spec.nodeName) row.node = pod.spec.nodeName;
  if (resolution.kind === 'missing-name') {
    row.problem = `no container port named ${resolution.name}`;
    return { row, pod };
  }
  if (resolution.container) row.container = resolution.container;
  row.containerPort = resolution.containerPort;
  if (resolution.kind === 'protocol-mismatch') {
    row.problem = `container port is ${resolution.protocol}`;
    return { row, pod };
  }
  if ('skipped' in snapshot.networkPolicies) return { row, pod };
  const args = {
    policies: snapshot.networkPolicies.items,
    backend: pod,
    namespaceLabels: snapshot.namespaceLabels,
    client: snapshot.client,
    port: { number: resolution.containerPort, protocol: resolution.protocol },
  };
  const egress = evaluateEgress(args);
  const ingress = evaluateIngress(args);
  // Both directions must admit: a denial decides, else an unknown stays unknown (never `allowed`).
  const decision = egress.allowed === false ? egress : ingress.allowed === false ? ingress : egress.allowed === 'unknown' ? egress : ingress;
  row.policies = [...new Set([...egress.selectingPolicies, ...ingress.selectingPolicies])];
  row.networkPolicy = !ingress.isolated && !egress.isolated ? 'not-isolated' : decision.allowed === 'unknown' ? 'unknown' : decision.allowed ? 'allowed' : 'denied';
  return { row, pod, decision };
}

// A Service without selector has no pods to look at: its backends are the slice's addresses.
function addressBackend(endpoint: EndpointRow, servicePort: ServicePort): Evaluated {
  return {
    row: {
      pod: endpoint.pod ?? endpoint.address,
      servicePort: portLabel(servicePort),
      protocol: servicePort.protocol ?? 'TCP',
      networkPolicy: 'not-evaluated',
      policies: [],
      ...(endpoint.node ? { node: endpoint.node } : {}),
    },
  };
}

function analyzeBackends(snapshot: Snapshot, ports: ServicePort[], rows: EndpointRow[]): { backends: BackendRow[]; findings: Finding[]; notes: string[] } {
  const notes: string[] = [];
  if ('skipped' in snapshot.networkPolicies) notes.push(`NetworkPolicies not evaluated: ${snapshot.networkPolicies.skipped}`);
  const evaluated =
    snapshot.pods.length > 0
      ? ports.flatMap((port) => snapshot.pods.map((pod) => podBackend(snapshot, pod, port)))
      : ports.flatMap((port) => [...new Map(rows.map((r) => [r.address, r])).values()].map((r) => addressBackend(r, port)));

  const findings = ports.flatMap((servicePort) =>
    policyFindings(snapshot, evaluated.filter((e) => e.row.servicePort === portLabel(servicePort))),
  );
  return { backends: evaluated.map((e) => e.row), findings, notes };
}

// The default client stands for the pods nobody named: some of them may be admitted. A namespace
// chosen with --from-namespace is a question about its pods: when none of them can be, it is a break.
function mayBeAdmitted(snapshot: Snapshot, client: Extract<Snapshot['client'], { kind: 'generic' }>, backend: Pod, port: { number: number; protocol: Protocol }): boolean {
  if (client.namespace === snapshot.service.metadata.namespace) return true;
  const policies = 'items' in snapshot.networkPolicies ? snapshot.networkPolicies.items : [];
  return admitsSomePodOf({ policies, backend, port, namespace: client.namespace, namespaceLabels: snapshot.namespaceLabels[client.namespace] ?? client.namespaceLabels });
}

// For one Service port: the backends NetworkPolicy denies the client, and who it admits instead.
function policyFindings(snapshot: Snapshot, evaluated: Evaluated[]): Finding[] {
  const denied = evaluated.filter((e) => e.row.networkPolicy === 'denied');
  const first = denied[0];
  if (!first) return [];
  const policies = 'items' in snapshot.networkPolicies ? snapshot.networkPolicies.items : [];
  const port = { number: first.row.containerPort!, protocol: first.row.protocol as Protocol };
  // Who the backends admit does not help when the client's own egress policy stops the traffic.
  const egress = first.decision!.direction === 'egress';
  const admitted = egress ? [] : admittedPeers({ policies, backend: first.pod!, port }).map((p) => `${p.peer} (${p.policy})`);
  const objects = [serviceRef(snapshot.service), ...[...new Set(denied.map((d) => d.pod!))].map(podRef)];
  if (snapshot.client.kind === 'generic' && admitted.length > 0 && mayBeAdmitted(snapshot, snapshot.client, first.pod!, port)) {
    // Nobody asked about this client: a policy that admits someone is a restriction, not a break.
    for (const row of denied) row.row.networkPolicy = 'restricted';
    return [raise('network-policy-restricts', { admitted, port: `${port.protocol} ${port.number}` }, objects)];
  }
  const all = denied.length === evaluated.filter((e) => e.decision).length;
  return [raise('network-policy-blocks', { reason: first.decision!.reason, admitted, egress }, objects, all ? 'error' : 'warning')];
}
