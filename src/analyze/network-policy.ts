// NetworkPolicy (networking.k8s.io/v1) evaluation: which policies isolate a pod, and whether one
// of their rules admits a client on a port (the two ends as peers see them: network-policy-parties.ts;
// addresses and CIDRs: src/kube/ip.ts). Pure: API objects in, a decision in words out.

import { formatSelector, matchesSelector, type Labels } from '../kube/labels.js';
import { cidrContains, parseCidr, parseIp, type Cidr, type IpFamily } from '../kube/ip.js';
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod, Protocol } from '../kube/types.js';
import type { Client } from '../snapshot.js';
import { backendParty, clientParty, labelsOfNamespace, namespaceOf, type Party } from './network-policy-parties.js';

export type PolicyType = 'Ingress' | 'Egress';

// `unknown` when the answer hangs on something the snapshot cannot know: the client's IP, or how
// the network plugin treats host-network traffic.
export type Admission = boolean | 'unknown';

// The destination port after kube-proxy's DNAT (the backend's container port), as policy sees it.
export interface TrafficPort {
  number: number;
  protocol: Protocol;
}

export interface PolicyDecision {
  direction: 'ingress' | 'egress';
  isolated: boolean; // some policy selects the pod for this direction
  allowed: Admission;
  selectingPolicies: string[]; // names of the policies that isolate the pod
  admittingPolicies: string[]; // names of the policies whose rules admit the traffic
  reason: string; // one sentence for a user
}

export interface PolicyArgs {
  policies: NetworkPolicy[]; // every policy known; each function filters by namespace itself
  backend: Pod;
  namespaceLabels: Record<string, Labels>;
  client: Client;
  port: TrafficPort;
  // The endpoint address the traffic goes to; its family decides which client IP and which
  // ipBlocks count. Default: the backend's status.podIP.
  address?: string;
}

export interface AdmittedPeer {
  policy: string;
  peer: string; // e.g. `pods with app=frontend in namespace shop`
}

// policyTypes as the API server defaults it: Ingress always, Egress when there are egress rules.
export function effectivePolicyTypes(policy: NetworkPolicy): PolicyType[] {
  const declared = policy.spec.policyTypes ?? [];
  if (declared.length > 0) return declared;
  return (policy.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

// The policies of the pod's own namespace that select it for that direction.
export function isolatingPolicies(policies: NetworkPolicy[], pod: Pod, type: PolicyType): NetworkPolicy[] {
  const namespace = namespaceOf(pod);
  return policies.filter(
    (policy) =>
      namespaceOf(policy) === namespace &&
      effectivePolicyTypes(policy).includes(type) &&
      matchesSelector(policy.spec.podSelector ?? {}, pod.metadata.labels),
  );
}

export function evaluateIngress(args: PolicyArgs): PolicyDecision {
  const { backend, port } = args;
  const target = `pod ${backend.metadata.name}`;
  if (backend.spec.hostNetwork) {
    return notIsolated('ingress', hostNetworkReason(target));
  }
  const selecting = isolatingPolicies(args.policies, backend, 'Ingress');
  if (selecting.length === 0) {
    return notIsolated('ingress', `No NetworkPolicy in namespace ${namespaceOf(backend)} selects ${target} for ingress, so it admits all traffic`);
  }
  const family = trafficFamily(args);
  const source = clientParty(args.client, args.namespaceLabels, family);
  const results = selecting.map((policy) =>
    anyOf((policy.spec.ingress ?? []).map((rule) => ruleAdmits(policy, rule.from, rule.ports, source, backend, port))),
  );
  const decision = decide('ingress', selecting, results, {
    admitted: `${source.description} to ${target}`,
    isolatedPod: target,
    peer: source.description,
    unknown: source.unknown,
    port,
  });
  return nodeCaveat(decision, args.client, backend, port);
}

// Egress is checked only for a real client pod: a policy selects pods by label, and only a real
// pod has labels to select (the generic client stands for any pod of its namespace).
export function evaluateEgress(args: PolicyArgs): PolicyDecision {
  const { client, backend, port } = args;
  if (client.kind !== 'pod') return notIsolated('egress', egressNotChecked(client));
  const pod = client.pod;
  const subject = `pod ${pod.metadata.name}`;
  if (pod.spec.hostNetwork) {
    return notIsolated('egress', hostNetworkReason(subject));
  }
  const selecting = isolatingPolicies(args.policies, pod, 'Egress');
  if (selecting.length === 0) {
    return notIsolated('egress', `No NetworkPolicy in namespace ${namespaceOf(pod)} selects ${subject} for egress, so it may send traffic anywhere`);
  }
  const destination = backendParty(backend, args.address, args.namespaceLabels, trafficFamily(args));
  const results = selecting.map((policy) =>
    anyOf((policy.spec.egress ?? []).map((rule) => ruleAdmits(policy, rule.to, rule.ports, destination, backend, port))),
  );
  return decide('egress', selecting, results, {
    admitted: `traffic from ${subject} to ${destination.description}`,
    isolatedPod: subject,
    peer: `traffic to ${destination.description}`,
    unknown: destination.unknown,
    port,
  });
}

// Who the backend's ingress policies admit on this port, for the hint of a denied connection.
export function admittedPeers(args: { policies: NetworkPolicy[]; backend: Pod; port: TrafficPort }): AdmittedPeer[] {
  const found = new Map<string, AdmittedPeer>();
  for (const policy of isolatingPolicies(args.policies, args.backend, 'Ingress')) {
    for (const rule of policy.spec.ingress ?? []) {
      if (!portsAdmit(rule.ports, args.port, args.backend)) continue;
      const peers = rule.from ?? [];
      const descriptions = peers.length === 0 ? ['any source'] : peers.map((peer) => describePeer(peer, namespaceOf(policy)));
      for (const peer of descriptions) found.set(`${policy.metadata.name}\n${peer}`, { policy: policy.metadata.name, peer });
    }
  }
  return [...found.values()];
}

// Whether some pod of `namespace`, whatever its labels, could be admitted to the backend on this port:
// a rule with no peers, an ipBlock (its IP is not known), or a peer whose namespace part matches that
// namespace (by its real labels). False: no pod of that namespace gets through.
export function admitsSomePodOf(args: { policies: NetworkPolicy[]; backend: Pod; port: TrafficPort; namespace: string; namespaceLabels: Labels }): boolean {
  const labels = labelsOfNamespace(args.namespace, args.namespaceLabels);
  return isolatingPolicies(args.policies, args.backend, 'Ingress').some((policy) =>
    (policy.spec.ingress ?? []).some(
      (rule) =>
        portsAdmit(rule.ports, args.port, args.backend) &&
        ((rule.from ?? []).length === 0 ||
          (rule.from ?? []).some((peer) =>
            peer.ipBlock ? true : peer.namespaceSelector ? matchesSelector(peer.namespaceSelector, labels) : namespaceOf(policy) === args.namespace,
          )),
    ),
  );
}

// `pods with app=frontend in namespace shop`, `any pod in namespaces with team=a`, `IP block 10.0.0.0/8 except 10.1.0.0/16`.
export function describePeer(peer: NetworkPolicyPeer, policyNamespace: string): string {
  if (peer.ipBlock) {
    const except = peer.ipBlock.except ?? [];
    return `IP block ${peer.ipBlock.cidr}${except.length > 0 ? ` except ${except.join(', ')}` : ''}`;
  }
  const namespaces = peer.namespaceSelector ? describeNamespaces(peer.namespaceSelector) : `namespace ${policyNamespace}`;
  const pods = peer.podSelector && !isEmptySelector(peer.podSelector) ? `pods with ${formatSelector(peer.podSelector)}` : 'any pod';
  return `${pods} in ${namespaces}`;
}

// --- rules, peers, ports ---

function ruleAdmits(
  policy: NetworkPolicy,
  peers: NetworkPolicyPeer[] | undefined,
  ports: NetworkPolicyPort[] | undefined,
  party: Party,
  destination: Pod,
  port: TrafficPort,
): Admission {
  if (!portsAdmit(ports, port, destination)) return false;
  if (!peers || peers.length === 0) return true; // no peers: every source or destination
  return anyOf(peers.map((peer) => peerAdmits(peer, namespaceOf(policy), party)));
}

function peerAdmits(peer: NetworkPolicyPeer, policyNamespace: string, party: Party): Admission {
  if (peer.ipBlock) return ipBlockAdmits(peer.ipBlock, party);
  if (!peer.podSelector && !peer.namespaceSelector) return false; // the API rejects an empty peer
  if (!party.pod) return false; // host and outside traffic carry no labels
  // namespaceSelector and podSelector in one peer are ANDed; podSelector alone means the policy's namespace.
  const inNamespace = peer.namespaceSelector
    ? matchesSelector(peer.namespaceSelector, party.pod.namespaceLabels)
    : party.pod.namespace === policyNamespace;
  const matches = inNamespace && matchesSelector(peer.podSelector ?? {}, party.pod.labels);
  return matches && party.pod.hostNetwork ? 'unknown' : matches;
}

function ipBlockAdmits(block: { cidr: string; except?: string[] }, party: Party): Admission {
  const range = parseCidr(block.cidr);
  if (!range || (party.family !== undefined && range.family !== party.family)) return false;
  const except = (block.except ?? []).map(parseCidr).filter((cidr): cidr is Cidr => cidr !== undefined);
  // An unknown address is surely inside 0.0.0.0/0 or ::/0 with nothing excepted, and only there.
  if (party.addresses === undefined) return range.prefix === 0 && except.length === 0 ? true : 'unknown';
  return party.addresses
    .map(parseIp)
    .some((address) => address !== undefined && cidrContains(range, address) && !except.some((cidr) => cidrContains(cidr, address)));
}

function portsAdmit(ports: NetworkPolicyPort[] | undefined, port: TrafficPort, destination: Pod): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((policyPort) => portAdmits(policyPort, port, destination));
}

// A named port is resolved on the destination pod: a container port with that name and protocol.
function portAdmits(policyPort: NetworkPolicyPort, port: TrafficPort, destination: Pod): boolean {
  const protocol = policyPort.protocol ?? 'TCP';
  if (protocol !== port.protocol) return false;
  const value = policyPort.port;
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') {
    const last = policyPort.endPort ?? value;
    return port.number >= value && port.number <= last;
  }
  return destination.spec.containers.some((container) =>
    (container.ports ?? []).some(
      (containerPort) =>
        containerPort.name === value && (containerPort.protocol ?? 'TCP') === protocol && containerPort.containerPort === port.number,
    ),
  );
}

// --- the decision in words ---

function decide(
  direction: 'ingress' | 'egress',
  selecting: NetworkPolicy[],
  results: Admission[],
  words: { admitted: string; isolatedPod: string; peer: string; unknown: Party['unknown']; port: TrafficPort },
): PolicyDecision {
  const selectingPolicies = selecting.map((policy) => policy.metadata.name);
  const admittingPolicies = selectingPolicies.filter((_, index) => results[index] === true);
  const allowed = anyOf(results);
  const on = `${words.port.protocol} ${words.port.number}`;
  const isolates = isolatesPhrase(selectingPolicies, words.isolatedPod, direction);
  let reason: string;
  if (allowed === true) {
    reason = `${policiesPhrase(admittingPolicies)} ${admittingPolicies.length === 1 ? 'admits' : 'admit'} ${words.admitted} on ${on}`;
  } else if (allowed === 'unknown') {
    reason = `${isolates} and only ${words.unknown.via} could admit ${words.peer} on ${on}, but ${words.unknown.because}`;
  } else {
    reason = `${isolates} and no rule admits ${words.peer} on ${on}`;
  }
  return { direction, isolated: true, allowed, selectingPolicies, admittingPolicies, reason };
}

// Most network plugins always admit host traffic from a pod's own node (kubelet probes need it),
// whatever the policies say; the API does not define it.
function nodeCaveat(decision: PolicyDecision, client: Client, backend: Pod, port: TrafficPort): PolicyDecision {
  if (client.kind !== 'node' || !decision.isolated || decision.allowed === true) return decision;
  if (backend.spec.nodeName !== client.name) return decision;
  const ownNode = "most network plugins always admit traffic from a pod's own node";
  const reason =
    decision.allowed === 'unknown'
      ? `${decision.reason}; besides, ${ownNode}`
      : `${isolatesPhrase(decision.selectingPolicies, `pod ${backend.metadata.name}`, 'ingress')} and no rule admits node ${client.name} on ${port.protocol} ${port.number}, but ${ownNode}`;
  return { ...decision, allowed: 'unknown', reason };
}

function egressNotChecked(client: Exclude<Client, { kind: 'pod' }>): string {
  switch (client.kind) {
    case 'generic':
      return `The client stands for any pod in namespace ${client.namespace}, so egress NetworkPolicy (which selects pods by label) is not checked; pass --from pod/NAME to check it`;
    case 'node':
      return `Traffic from the host network of node ${client.name} is not subject to egress NetworkPolicy`;
    case 'external':
      return 'Traffic from outside the cluster is not subject to egress NetworkPolicy';
  }
}

function notIsolated(direction: 'ingress' | 'egress', reason: string): PolicyDecision {
  return { direction, isolated: false, allowed: true, selectingPolicies: [], admittingPolicies: [], reason };
}

function hostNetworkReason(pod: string): string {
  return `${capitalize(pod)} uses the host network, which NetworkPolicy does not isolate in most network plugins (the API leaves it undefined)`;
}

function isolatesPhrase(policies: string[], pod: string, direction: 'ingress' | 'egress'): string {
  return `${policiesPhrase(policies)} ${policies.length === 1 ? 'isolates' : 'isolate'} ${pod} for ${direction}`;
}

function policiesPhrase(names: string[]): string {
  return names.length === 1 ? `NetworkPolicy ${names[0]}` : `NetworkPolicies ${names.join(', ')}`;
}

function describeNamespaces(selector: LabelSelector): string {
  if (isEmptySelector(selector)) return 'any namespace';
  const labels = Object.entries(selector.matchLabels ?? {});
  if ((selector.matchExpressions ?? []).length === 0 && labels.length === 1 && labels[0][0] === 'kubernetes.io/metadata.name') {
    return `namespace ${labels[0][1]}`;
  }
  return `namespaces with ${formatSelector(selector)}`;
}

function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

function anyOf(values: Admission[]): Admission {
  if (values.includes(true)) return true;
  return values.includes('unknown') ? 'unknown' : false;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function trafficFamily(args: PolicyArgs): IpFamily | undefined {
  const address = args.address ?? args.backend.status?.podIP;
  return address ? parseIp(address)?.family : undefined;
}
