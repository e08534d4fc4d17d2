// The finding catalogue (README, Findings), as data in one place: id, level, the hop it concerns, when it is
// raised, and the templates of its message and hint. Ids are public: never change their meaning.

import type { Finding, HopKind, Level, ObjectRef } from './model.js';

interface Entry<P> {
  level: Level;
  hop: HopKind;
  when: string;
  message: (p: P) => string;
  hint: (p: P) => string;
}

const entry = <P>(e: Entry<P>): Entry<P> => e;
const list = (items: string[], max = 3): string =>
  items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} + ${items.length - max} more`;

// An Ingress or route names a port the Service lacks: say which ports it has.
const servicePortHint = (field: string, ports: string[]): string =>
  ports.length > 0
    ? `set ${field} to one of the Service's ports: ${list(ports, 5)} (the Service port, not the targetPort)`
    : 'the Service declares no ports: add the port to the Service';

export const catalogue = {
  'selector-matches-no-pods': entry<{ selector: string; namespace: string; nearMisses: string[] }>({
    level: 'error',
    hop: 'endpoint',
    when: 'the selector matches no pod in the namespace (names the closest label sets that almost match)',
    message: (p) => `selector ${p.selector} matches no pod in namespace ${p.namespace}`,
    hint: (p) =>
      p.nearMisses.length > 0
        ? `closest pods: ${p.nearMisses.join('; ')} — fix the Service selector or the pod template labels`
        : `no pod in namespace ${p.namespace} has these labels: check that the workload is deployed there (kubectl get pods -n ${p.namespace} --show-labels)`,
  }),
  'no-ready-endpoints': entry<{ total: number; reasons: string[] }>({
    level: 'error',
    hop: 'endpoint',
    when: 'pods match but no endpoint is ready',
    message: (p) => `none of ${p.total} endpoint(s) is ready${p.reasons.length ? `: ${list(p.reasons)}` : ''}`,
    hint: () => 'the pods fail their readiness probe or are not running: kubectl describe pod on one of them and read its Events',
  }),
  'some-endpoints-not-ready': entry<{ notReady: string[]; total: number }>({
    level: 'warning',
    hop: 'endpoint',
    when: 'some endpoints are not ready (names them and why: readiness probe, phase, terminating)',
    message: (p) => `${p.notReady.length} of ${p.total} endpoints not ready: ${list(p.notReady)}`,
    hint: () => 'traffic goes to the ready ones only; kubectl describe pod on a not-ready one shows why its readiness probe fails',
  }),
  'single-endpoint': entry<{ endpoint: string }>({
    level: 'info',
    hop: 'endpoint',
    when: 'exactly one ready endpoint',
    message: (p) => `only one ready endpoint (${p.endpoint}): no redundancy`,
    hint: () => 'scale the workload to 2 or more replicas if the Service must survive a pod restart',
  }),
  'endpoints-terminating': entry<{ endpoints: string[] }>({
    level: 'info',
    hop: 'endpoint',
    when: 'terminating endpoints are still listed',
    message: (p) => `${p.endpoints.length} terminating endpoint(s) still listed: ${list(p.endpoints)}`,
    hint: () => 'they receive no new connections unless no other endpoint is ready (kube-proxy falls back to serving terminating ones)',
  }),
  'publish-not-ready-addresses': entry<Record<string, never>>({
    level: 'info',
    hop: 'endpoint',
    when: 'publishNotReadyAddresses: not-ready pods receive traffic on purpose',
    message: () => 'publishNotReadyAddresses is true: pods get traffic and DNS records before they are ready',
    hint: () => 'intended for StatefulSet peer discovery; set it to false if clients must only reach ready pods',
  }),
  'selector-matches-multiple-workloads': entry<{ selector: string; workloads: string[]; versionsOf?: string }>({
    level: 'warning',
    hop: 'endpoint',
    when: 'the selector spans pods of more than one owner (e.g. two Deployments); info when they are versions of one app (same app.kubernetes.io/name, else app, differing only in version labels)',
    message: (p) =>
      p.versionsOf
        ? `selector ${p.selector} selects ${p.workloads.length} versions of ${p.versionsOf}: ${list(p.workloads)}`
        : `selector ${p.selector} selects pods of ${p.workloads.length} workloads: ${list(p.workloads)}`,
    hint: (p) =>
      p.versionsOf
        ? 'traffic is shared across the versions (a canary or an A/B split); add the version label to the selector to send it to one'
        : 'traffic is shared across all of them; add a label that only the intended workload carries to the selector',
  }),
  'pods-from-custom-resource': entry<{ selector: string; resources: string[]; kinds: string[]; nearMisses: string[] }>({
    level: 'info',
    hop: 'endpoint',
    when: 'offline: no would-be pod matches the selector, and the files hold custom resources whose operator may create the pods (a Prometheus, an Alertmanager)',
    message: (p) => `selector ${p.selector} matches no would-be pod of the files; pods may come from an operator of kind ${list(p.kinds)} (${list(p.resources)})`,
    hint: (p) =>
      `offline, the pods an operator creates are unknown: trace the Service in a cluster where the operator runs${p.nearMisses.length > 0 ? `; closest would-be pods: ${p.nearMisses.join('; ')}` : ''}`,
  }),
  'serving-terminating-fallback': entry<{ endpoints: string[]; total: number }>({
    level: 'warning',
    hop: 'endpoint',
    when: 'no endpoint is ready, but some terminating ones still serve: kube-proxy falls back to them until they are gone',
    message: (p) => `none of ${p.total} endpoint(s) is ready; traffic goes to ${p.endpoints.length} terminating endpoint(s) that still serve: ${list(p.endpoints)}`,
    hint: () => 'kube-proxy uses serving terminating endpoints only while nothing is ready: the Service breaks when they finish shutting down unless a new pod turns ready (kubectl get pods shows the rollout)',
  }),
  'stale-endpoint': entry<{ endpoints: string[]; all: boolean }>({
    level: 'error',
    hop: 'endpoint',
    when: "a hand-made EndpointSlice of a Service without selector names a pod that does not exist, or a pod-network address no pod has: error when every endpoint is stale, warning when some are",
    message: (p) => `${p.all ? 'every endpoint' : `${p.endpoints.length} endpoint(s)`} of the EndpointSlices ${p.all ? 'is' : 'are'} stale: ${list(p.endpoints)}`,
    hint: () => 'nothing updates the EndpointSlice of a Service without selector: point it at the current pod addresses, or give the Service a selector so that the controller keeps it right',
  }),
  'endpoint-port-name-mismatch': entry<{ servicePort: string; slicePorts: string[]; all: boolean }>({
    level: 'error',
    hop: 'endpoint',
    when: "a Service port's name is not a port name of its hand-made EndpointSlices (kube-proxy pairs them by name): error when no slice has it, warning when some lack it",
    message: (p) =>
      `Service port ${p.servicePort} has no endpoints in ${p.all ? 'any EndpointSlice' : 'some EndpointSlices'}: their ports are named ${list(p.slicePorts)}, and kube-proxy pairs ports by name`,
    hint: (p) => `name the EndpointSlice port ${p.servicePort === '<unnamed>' ? '""' : `"${p.servicePort}"`} as the Service port is named (or rename the Service port to match)`,
  }),
  'no-selector-no-endpoints': entry<Record<string, never>>({
    level: 'error',
    hop: 'endpoint',
    when: 'a Service without selector and no EndpointSlice of its own',
    message: () => 'the Service has no selector and no EndpointSlice with endpoints',
    hint: () =>
      'create an EndpointSlice labelled kubernetes.io/service-name=<service> with the backend addresses, or add a selector',
  }),
  'target-port-missing': entry<{ targetPort: string; servicePort: string; pods: string[]; all: boolean }>({
    level: 'error',
    hop: 'backend',
    when: 'a named targetPort is absent from all (error) or some (warning) selected pods',
    message: (p) =>
      `targetPort "${p.targetPort}" of port ${p.servicePort} is not a container port of ${p.all ? 'any selected pod' : list(p.pods)}`,
    hint: (p) => `name a container port "${p.targetPort}" in the pod template, or set targetPort to the container port the app listens on`,
  }),
  'target-port-not-declared': entry<{ targetPort: number; servicePort: string; declared: string[] }>({
    level: 'info',
    hop: 'backend',
    when: 'a numeric targetPort that no container declares (legal, but often a typo)',
    message: (p) => `targetPort ${p.targetPort} of port ${p.servicePort} is not declared by any container`,
    hint: (p) =>
      p.declared.length > 0
        ? `containers declare ${list(p.declared)}: check the number, or declare the port in the pod template`
        : 'traffic still reaches the pod if the app listens there; declare the port in the pod template to document it',
  }),
  'protocol-mismatch': entry<{ servicePort: string; serviceProtocol: string; containerPort: string; containerProtocol: string }>({
    level: 'error',
    hop: 'backend',
    when: "a Service port's protocol differs from the container port's",
    message: (p) =>
      `port ${p.servicePort} is ${p.serviceProtocol} but container port ${p.containerPort} is ${p.containerProtocol}`,
    hint: (p) => `set protocol: ${p.containerProtocol} on the Service port (or fix the container port's protocol)`,
  }),
  'headless-service': entry<Record<string, never>>({
    level: 'info',
    hop: 'dns',
    when: 'clusterIP: None: DNS returns pod IPs, no virtual IP',
    message: () => 'headless Service (clusterIP: None): DNS answers with the pod IPs, there is no virtual IP and no load balancing',
    hint: () => 'clients connect to pod IPs directly and must handle pod churn themselves',
  }),
  'externalname-unresolvable': entry<{ externalName: string; error: string; where?: string }>({
    level: 'error',
    hop: 'dns',
    when: 'the ExternalName target does not resolve (online only): error when a name under the cluster domain names no Service (checked through the API), warning when an outside name does not resolve from the machine running svc-trace',
    message: (p) => `ExternalName target ${p.externalName} does not resolve${p.where ? ` ${p.where}` : ''}: ${p.error}`,
    hint: (p) =>
      p.where
        ? "the cluster's DNS may resolve what this machine cannot (split DNS, a VPN): check from a pod (kubectl run -it --rm dns --image=busybox -- nslookup NAME), and fix spec.externalName if it does not resolve there either"
        : 'fix spec.externalName (a DNS name, not an IP or URL), or check that the name exists',
  }),
  'externalname-target-no-endpoints': entry<{ externalName: string; service: string }>({
    level: 'error',
    hop: 'dns',
    when: 'the ExternalName target is a Service of the cluster (checked through the API) that has no ready endpoint',
    message: (p) => `ExternalName target ${p.externalName} is Service ${p.service}, which has no ready endpoint`,
    hint: (p) => `trace that Service: kubectl svc-trace ${p.service.split('/')[1]} -n ${p.service.split('/')[0]}`,
  }),
  'loadbalancer-pending': entry<Record<string, never>>({
    level: 'error',
    hop: 'frontend',
    when: 'type LoadBalancer with no ingress IP or hostname',
    message: () => 'the LoadBalancer has no ingress IP or hostname yet (<pending>)',
    hint: () =>
      'no cloud controller has provisioned it: check kubectl describe service events, or install a load balancer implementation (MetalLB, cloud provider)',
  }),
  'loadbalancer-class-unhandled': entry<{ loadBalancerClass: string }>({
    level: 'warning',
    hop: 'frontend',
    when: 'loadBalancerClass is set and nothing has reported an ingress for it (pending)',
    message: (p) => `loadBalancerClass ${p.loadBalancerClass} has not provisioned a load balancer (<pending>)`,
    hint: (p) => `check that a controller for ${p.loadBalancerClass} runs in the cluster; the default cloud controller ignores this Service`,
  }),
  'loadbalancer-source-ranges': entry<{ ranges: string[] }>({
    level: 'info',
    hop: 'frontend',
    when: 'loadBalancerSourceRanges restricts clients (says which)',
    message: (p) => `only clients from ${list(p.ranges, 5)} may reach the load balancer`,
    hint: () => 'add the client range to spec.loadBalancerSourceRanges if a client is refused',
  }),
  'external-traffic-local-gaps': entry<{ nodes: string[]; total: number }>({
    level: 'warning',
    hop: 'routing',
    when: 'externalTrafficPolicy: Local and nodes with no local ready endpoint (lists them)',
    message: (p) => `externalTrafficPolicy is Local and ${p.nodes.length} of ${p.total} nodes ${p.nodes.length === 1 ? 'has' : 'have'} no ready endpoint: ${list(p.nodes)}`,
    hint: () =>
      'external traffic reaching those nodes is dropped; the cloud load balancer health check avoids them, but NodePort clients do not. Use Cluster, or run a pod on every node',
  }),
  'internal-traffic-local-gaps': entry<{ nodes: string[]; client?: string }>({
    level: 'warning',
    hop: 'routing',
    when: 'internalTrafficPolicy: Local and client nodes with no local endpoint (an error for the --from client whose node has none)',
    message: (p) =>
      p.client
        ? `internalTrafficPolicy is Local and ${p.client} no ready endpoint: its traffic is dropped`
        : `internalTrafficPolicy is Local and clients on ${list(p.nodes)} have no endpoint on their node`,
    hint: () => 'traffic from pods on those nodes is dropped: run a backend on every node (DaemonSet) or use internalTrafficPolicy: Cluster',
  }),
  'nodeport-exposed': entry<{ ports: string[] }>({
    level: 'info',
    hop: 'frontend',
    when: "reachable on every node's IP at the nodePort",
    message: (p) => `reachable on every node's IP at ${list(p.ports, 5)}`,
    hint: () => 'anyone who can reach a node can reach the Service; restrict with firewall rules or NetworkPolicy if that is not intended',
  }),
  'session-affinity': entry<{ timeoutSeconds: number }>({
    level: 'info',
    hop: 'routing',
    when: 'ClientIP stickiness and its timeout',
    message: (p) => `sessionAffinity ClientIP: each client IP sticks to one endpoint for ${p.timeoutSeconds}s`,
    hint: () => 'load is uneven when few client IPs (e.g. behind a NAT or ingress) send most traffic',
  }),
  'topology-hints-missing': entry<{ asked: string }>({
    level: 'warning',
    hop: 'routing',
    when: 'topology-aware routing is asked for but the EndpointSlices carry no hints',
    message: (p) => `${p.asked} asks for topology-aware routing, but the EndpointSlices carry no zone hints`,
    hint: () =>
      'the EndpointSlice controller adds hints only with enough endpoints spread over the zones (kubectl get events for TopologyAwareHintsDisabled); traffic is routed cluster-wide meanwhile',
  }),
  'ip-family-without-endpoints': entry<{ family: string }>({
    level: 'warning',
    hop: 'endpoint',
    when: 'an IP family of the Service has no EndpointSlice of that address type',
    message: (p) => `the Service has an ${p.family} address but no ${p.family} EndpointSlice`,
    hint: (p) => `${p.family} clients get no backend: give the pods ${p.family} addresses, or drop ${p.family} from spec.ipFamilies`,
  }),
  'service-proxy-name': entry<{ proxyName: string }>({
    level: 'warning',
    hop: 'routing',
    when: 'service.kubernetes.io/service-proxy-name is set: the default kube-proxy ignores the Service',
    message: (p) => `label service.kubernetes.io/service-proxy-name=${p.proxyName}: the default kube-proxy does not program this Service`,
    hint: (p) => `check that a proxy named ${p.proxyName} runs on the nodes, or remove the label`,
  }),
  'network-policy-blocks': entry<{ reason: string; admitted: string[]; egress?: boolean }>({
    level: 'error',
    hop: 'backend',
    when: 'NetworkPolicy isolates the backends and no rule admits the client on the target port',
    message: (p) => p.reason,
    hint: (p) =>
      p.egress
        ? "add an egress rule to the client's NetworkPolicy that admits the backend pods on the target port"
        : p.admitted.length > 0
        ? `the policies admit only ${list(p.admitted)}: trace with --from one of them, or add an ingress rule for this client`
        : 'add an ingress rule that admits the client on the target port',
  }),
  'network-policy-restricts': entry<{ admitted: string[]; port: string }>({
    level: 'info',
    hop: 'backend',
    when: 'NetworkPolicy admits only some clients on the target port (the default client is not among them; says who is)',
    message: (p) => `on ${p.port}, NetworkPolicy admits only: ${list(p.admitted)}`,
    hint: () => 'trace with --from pod/NAME or --from deploy/NAME to check a particular client',
  }),
  'port-not-listening': entry<{ servicePort: string; refused: string[]; probed: number }>({
    level: 'error',
    hop: 'backend',
    when: '--probe: pods refused the connection on the target port — every probed pod (error) or some (warning)',
    message: (p) =>
      `${p.refused.length === p.probed ? `every probed pod (${p.probed})` : `${p.refused.length} of ${p.probed} probed pods`} refused a connection on port ${p.servicePort}: ${list(p.refused)}`,
    hint: () =>
      'nothing listens on that port inside the pod: the app listens on another port than targetPort (check its configuration or kubectl logs), or has not started listening yet',
  }),
  'port-probe-timeout': entry<{ servicePort: string; pods: string[]; timeout: string }>({
    level: 'warning',
    hop: 'backend',
    when: '--probe: a pod did not answer the connection within --probe-timeout',
    message: (p) => `${p.pods.length} pod(s) did not answer a connection on port ${p.servicePort} within ${p.timeout}: ${list(p.pods)}`,
    hint: () => 'the app may be overloaded or stuck (its accept queue full), or the node slow to answer: retry with a longer --probe-timeout, and read kubectl logs',
  }),
  'warning-events': entry<{ events: string[] }>({
    level: 'warning',
    hop: 'frontend',
    when: 'recent Warning events on the Service or its EndpointSlices',
    message: (p) => `${p.events.length} Warning event(s): ${list(p.events, 2)}`,
    hint: () => 'kubectl describe service shows them in full',
  }),
  'port-not-found': entry<{ port: string; ports: string[] }>({
    level: 'error',
    hop: 'frontend',
    when: '--port names no port of the Service',
    message: (p) => `the Service has no port ${p.port}`,
    hint: (p) => (p.ports.length > 0 ? `its ports are ${p.ports.join(', ')}` : 'the Service declares no ports'),
  }),
  'cluster-dns-unavailable': entry<{ service: string; total: number }>({
    level: 'error',
    hop: 'dns',
    when: 'the cluster DNS Service (kube-system/kube-dns) has no ready endpoint: no name resolves in the cluster',
    message: (p) => `the cluster DNS Service ${p.service} has no ready endpoint${p.total > 0 ? ` (0 of ${p.total} ready)` : ''}: no Service name resolves`,
    hint: (p) =>
      `check the DNS pods: kubectl get pods -n ${p.service.split('/')[0]} -l k8s-app=kube-dns, then kubectl describe on a not-ready one; meanwhile clients can reach Services by ClusterIP only`,
  }),
  'dns-egress-blocked': entry<{ protocols: string[]; service: string; reason: string }>({
    level: 'error',
    hop: 'dns',
    when: "the client's egress NetworkPolicy blocks UDP port 53 to every cluster DNS pod (error), or only TCP port 53 (warning)",
    message: (p) => `the client may not send DNS queries (${p.protocols.join(' and ')} 53) to ${p.service}: ${p.reason}`,
    hint: () =>
      "add an egress rule to the client's NetworkPolicy for UDP and TCP 53 to the DNS pods, e.g. to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]",
  }),
  'kube-proxy-not-ready': entry<{ nodes: string[]; daemonSet: string }>({
    level: 'warning',
    hop: 'routing',
    when: 'the kube-proxy DaemonSet has no ready pod on a node the traffic goes through',
    message: (p) => `kube-proxy (${p.daemonSet}) is not ready on ${list(p.nodes)}: Service virtual IPs may be unprogrammed or stale there`,
    hint: (p) => `kubectl get pods -n ${p.daemonSet.split('/')[0]} -l k8s-app=kube-proxy -o wide, then kubectl describe and kubectl logs on the one of that node`,
  }),
  'not-reachable-externally': entry<{ type: string }>({
    level: 'error',
    hop: 'frontend',
    when: '--from external and the Service has no external entry point (ClusterIP without externalIPs)',
    message: (p) => `a ${p.type} Service is reachable only inside the cluster`,
    hint: () => 'use type NodePort or LoadBalancer, an Ingress/Gateway, or kubectl svc-trace forward for local access',
  }),

  // --- what stands in front: Ingress and Gateway API (the ingress/NAME and route traces, and a Service's frontend hop) ---
  'ingress-backend-missing': entry<{ ingress: string; service: string; namespace: string; rules: string[] }>({
    level: 'error',
    hop: 'ingress',
    when: "a rule's (or the default) backend Service does not exist in the Ingress's namespace",
    message: (p) => `Ingress ${p.ingress} sends ${list(p.rules)} to Service ${p.service}, which does not exist in namespace ${p.namespace}`,
    hint: (p) => `create the Service, or fix the backend's service.name (kubectl get services -n ${p.namespace})`,
  }),
  'ingress-backend-port-missing': entry<{ ingress: string; service: string; port: string; ports: string[] }>({
    level: 'error',
    hop: 'ingress',
    when: "the backend's port.name/port.number is not a port of that Service",
    message: (p) => `Ingress ${p.ingress} sends to port ${p.port} of Service ${p.service}, which has no such port`,
    hint: (p) => servicePortHint("the backend's service.port", p.ports),
  }),
  'ingress-class-missing': entry<{ ingress: string; className: string | null; classes: string[] }>({
    level: 'error',
    hop: 'ingress',
    when: '`ingressClassName` names no IngressClass, or none is set and no IngressClass is default',
    message: (p) =>
      p.className
        ? `ingressClassName ${p.className} of Ingress ${p.ingress} names no IngressClass`
        : `Ingress ${p.ingress} sets no ingressClassName and no IngressClass is marked as the default`,
    hint: (p) =>
      p.classes.length > 0
        ? `set spec.ingressClassName to one of the IngressClasses: ${list(p.classes, 5)}`
        : 'no IngressClass exists: install an ingress controller (it creates its IngressClass), then set spec.ingressClassName',
  }),
  'ingress-no-address': entry<{ ingress: string; className: string | null }>({
    level: 'warning',
    hop: 'ingress',
    when: 'live: `status.loadBalancer` is empty (no controller has admitted it)',
    message: (p) => `Ingress ${p.ingress} has no address: no controller has admitted it (status.loadBalancer is empty)`,
    hint: (p) =>
      `check that the ingress controller${p.className ? ` of class ${p.className}` : ''} runs and watches this namespace; its logs name the Ingresses it rejects`,
  }),
  'ingress-tls-secret-missing': entry<{ secretName: string; namespace: string; hosts: string[] }>({
    level: 'error',
    hop: 'ingress',
    when: "a `tls[].secretName` does not exist (metadata-only read; a secret's content is never read or printed)",
    message: (p) => `TLS Secret ${p.secretName}${p.hosts.length ? ` for ${list(p.hosts)}` : ''} does not exist in namespace ${p.namespace}`,
    hint: (p) =>
      `create it (kubectl create secret tls ${p.secretName} --cert=FILE --key=FILE -n ${p.namespace}) or let cert-manager issue it; meanwhile the controller serves its default certificate`,
  }),
  'route-not-accepted': entry<{ route: string; parent: string | null; reason: string | null; message: string | null }>({
    level: 'error',
    hop: 'route',
    when: 'no parent reports `Accepted=True` (give the parent\'s reason and message)',
    message: (p) =>
      p.parent
        ? `${p.route} is not accepted by ${p.parent}${p.reason ? `: ${p.reason}` : ''}${p.message ? ` (${p.message})` : ''}`
        : `no Gateway controller has accepted ${p.route} (status.parents is empty)`,
    hint: (p) =>
      p.reason === 'NotAllowedByListeners'
        ? "the listeners' allowedRoutes do not admit this route's namespace or kind: widen allowedRoutes on the Gateway, or move the route"
        : p.reason === 'NoMatchingListenerHostname'
        ? "the route's hostnames match no listener hostname: fix spec.hostnames or add a listener"
        : p.reason === 'NoMatchingParent'
        ? "the parentRef's sectionName or port names no listener of the Gateway"
        : 'check the parentRefs (name, namespace, sectionName) against the Gateway and its class\'s controller: kubectl describe gateway',
  }),
  'route-refs-unresolved': entry<{ route: string; parent: string; reason: string; message: string | null }>({
    level: 'error',
    hop: 'route',
    when: 'a parent reports `ResolvedRefs=False` (give the reason)',
    message: (p) => `${p.parent} reports ResolvedRefs=False for ${p.route}: ${p.reason}${p.message ? ` (${p.message})` : ''}`,
    hint: (p) =>
      p.reason === 'RefNotPermitted'
        ? 'a cross-namespace backendRef needs a ReferenceGrant in the backend\'s namespace'
        : p.reason === 'BackendNotFound'
        ? 'create the backend Service, or fix the backendRef name and namespace'
        : p.reason === 'InvalidKind'
        ? 'a backendRef must name a kind the controller supports (a Service)'
        : 'fix the backendRefs the controller cannot resolve: kubectl describe the route',
  }),
  'route-backend-missing': entry<{ route: string; service: string; namespace: string }>({
    level: 'error',
    hop: 'route',
    when: 'a `backendRef` Service does not exist',
    message: (p) => `${p.route} sends to Service ${p.service}, which does not exist in namespace ${p.namespace}`,
    hint: (p) => `create the Service, or fix the backendRef's name and namespace (kubectl get services -n ${p.namespace})`,
  }),
  'route-backend-port-missing': entry<{ route: string; service: string; port: string; ports: string[] }>({
    level: 'error',
    hop: 'route',
    when: 'a `backendRef` port is not a port of that Service',
    message: (p) => `${p.route} sends to port ${p.port} of Service ${p.service}, which has no such port`,
    hint: (p) => servicePortHint("the backendRef's port", p.ports),
  }),
  'route-reference-grant-missing': entry<{ route: string; kind: string; routeNamespace: string; service: string; namespace: string }>({
    level: 'error',
    hop: 'route',
    when: 'a cross-namespace `backendRef` has no ReferenceGrant in the target namespace that allows it',
    message: (p) =>
      `${p.route} sends to Service ${p.namespace}/${p.service} in another namespace, and no ReferenceGrant in namespace ${p.namespace} allows it`,
    hint: (p) =>
      `create a ReferenceGrant in namespace ${p.namespace} with from: [{group: gateway.networking.k8s.io, kind: ${p.kind}, namespace: ${p.routeNamespace}}] and to: [{group: "", kind: Service, name: ${p.service}}]`,
  }),
  'gateway-not-programmed': entry<{ gateway: string; problems: string[]; className: string | null }>({
    level: 'error',
    hop: 'gateway',
    when: 'the parent Gateway is not `Programmed`/`Accepted`, or has no address (live)',
    message: (p) => `Gateway ${p.gateway} ${list(p.problems, 4)}`,
    hint: (p) =>
      `check that the controller of GatewayClass ${p.className ?? '<none>'} runs and what it says: kubectl describe gateway ${p.gateway.split('/').pop()}`,
  }),
  'route-hostname-mismatch': entry<{ route: string; hostnames: string[]; gateway: string; listenerHostnames: string[] }>({
    level: 'warning',
    hop: 'route',
    when: "the route's hostnames intersect no listener hostname of its parent Gateway",
    message: (p) =>
      `no hostname of ${p.route} (${list(p.hostnames)}) matches a listener of Gateway ${p.gateway} (${list(p.listenerHostnames)})`,
    hint: () => "requests for these hosts never reach the route: fix the route's spec.hostnames, or add a listener with a matching hostname",
  }),
} as const;

export type FindingId = keyof typeof catalogue;
type Params<K extends FindingId> = Parameters<(typeof catalogue)[K]['message']>[0];

export function raise<K extends FindingId>(id: K, params: Params<K>, objects: ObjectRef[], level?: Level): Finding {
  const definition = catalogue[id] as unknown as Entry<Params<K>>;
  return {
    id,
    level: level ?? definition.level,
    hop: definition.hop,
    message: definition.message(params),
    hint: definition.hint(params),
    objects,
  };
}
