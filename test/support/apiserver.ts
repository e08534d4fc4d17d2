// A fake Kubernetes API server for command tests: node:http on 127.0.0.1, serving the objects of
// test/fixtures/apiserver/<scenario>/ the way kube-apiserver does — GET of one object, LIST with
// labelSelector, fieldSelector, limit/continue and metadata-only lists, real `Status` bodies for
// 401/403/404/405, WATCH (`?watch=1`: a chunked stream of JSON lines, with the synthetic ADDED events
// of a watch that names no resourceVersion) — and recording every request so that tests can say which
// ones were made. Tests change objects while a command runs (`apply`, `remove`): later GETs and LISTs
// see the change, and every open watch that selects the object gets its ADDED/MODIFIED/DELETED event.
// POST of a Service (expose) is answered as kube-apiserver answers it: defaults filled in, `dryRun=All`
// stores nothing, 409 AlreadyExists, 422 Invalid for a node port in use. A pods/portforward upgrade
// is recorded and refused with 403, as for a user without get and create on pods/portforward.
//
// A scenario folder holds one list response per resource (`services.json`, `pods.json`, ...), items
// of every namespace, as the API server returns them (items without apiVersion/kind). An optional
// `server.json` says `{"objects": "<other scenario>", "user": "...", "forbidden": ["events", ...]}`.

import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ClusterLists } from '../../src/cluster/gather-list.js';
import type { EndpointSlice, Event, KubeObject, Namespace, NetworkPolicy, Node, Pod, Service } from '../../src/kube/types.js';

interface Resource {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  // Fields the real API server accepts in a fieldSelector for this resource (besides metadata.name/namespace).
  fields: string[];
  // Served only when the scenario installs it (a CRD: the Gateway API); otherwise `404 page not found`.
  crd?: boolean;
}

const resources: Record<string, Resource> = {
  namespaces: { group: '', version: 'v1', kind: 'Namespace', namespaced: false, fields: ['status.phase'] },
  nodes: { group: '', version: 'v1', kind: 'Node', namespaced: false, fields: ['spec.unschedulable'] },
  services: { group: '', version: 'v1', kind: 'Service', namespaced: true, fields: ['spec.clusterIP', 'spec.type'] },
  pods: {
    group: '',
    version: 'v1',
    kind: 'Pod',
    namespaced: true,
    fields: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  },
  events: {
    group: '',
    version: 'v1',
    kind: 'Event',
    namespaced: true,
    fields: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', namespaced: true, fields: [] },
  networkpolicies: { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', namespaced: true, fields: [] },
  deployments: { group: 'apps', version: 'v1', kind: 'Deployment', namespaced: true, fields: [] },
  statefulsets: { group: 'apps', version: 'v1', kind: 'StatefulSet', namespaced: true, fields: [] },
  daemonsets: { group: 'apps', version: 'v1', kind: 'DaemonSet', namespaced: true, fields: [] },
  replicasets: { group: 'apps', version: 'v1', kind: 'ReplicaSet', namespaced: true, fields: [] },
  secrets: { group: '', version: 'v1', kind: 'Secret', namespaced: true, fields: ['type'] },
  ingresses: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', namespaced: true, fields: [] },
  ingressclasses: { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', namespaced: false, fields: [] },
  gateways: { group: 'gateway.networking.k8s.io', version: 'v1', kind: 'Gateway', namespaced: true, fields: [], crd: true },
  httproutes: { group: 'gateway.networking.k8s.io', version: 'v1', kind: 'HTTPRoute', namespaced: true, fields: [], crd: true },
  grpcroutes: { group: 'gateway.networking.k8s.io', version: 'v1', kind: 'GRPCRoute', namespaced: true, fields: [], crd: true },
  referencegrants: { group: 'gateway.networking.k8s.io', version: 'v1beta1', kind: 'ReferenceGrant', namespaced: true, fields: [], crd: true },
};

const metadataOnlyObject = 'as=PartialObjectMetadata;';

const metadataOnlyList = 'as=PartialObjectMetadataList';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  accept: string;
}

export interface ScenarioOptions {
  // Resources (plural names) the user may not read: every request for them gets a 403 Status.
  forbidden?: string[];
  // The user named in 403 messages.
  user?: string;
  // A misbehaving server (test/faults): sees every request first, after it is recorded, and answers
  // it itself (or never) by returning true; false lets the fake API server answer.
  fault?: (request: http.IncomingMessage, response: http.ServerResponse, url: URL) => boolean;
}

export interface FakeApiServer {
  url: string;
  token: string;
  requests: RecordedRequest[];
  close: () => Promise<void>;
  // Creates or replaces (by namespace and name) an object of a resource (plural name), as a
  // controller or kubectl would, and sends the event to every open watch that selects it.
  apply: (plural: string, object: KubeObject) => void;
  remove: (plural: string, namespace: string | undefined, name: string) => void;
  // A BOOKMARK event on every open watch (the API server sends one about every minute).
  bookmark: () => void;
  // Resolves once a watch on the resource is open (at once if one is).
  watching: (plural: string) => Promise<void>;
}

interface Watcher {
  plural: string;
  selects: (object: KubeObject) => boolean;
  send: (type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', object: KubeObject) => void;
}

type Objects = Map<string, KubeObject[]>;

const fixtures = () => path.resolve('test/fixtures/apiserver');

interface ServerFile {
  objects?: string;
  user?: string;
  forbidden?: string[];
}

function serverFile(scenario: string): ServerFile {
  const file = path.join(fixtures(), scenario, 'server.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ServerFile) : {};
}

// Every object of a scenario, by resource plural.
export function scenarioObjects(scenario: string): Objects {
  const directory = path.join(fixtures(), serverFile(scenario).objects ?? scenario);
  if (!existsSync(directory)) throw new Error(`no API server scenario ${scenario} under test/fixtures/apiserver`);
  const objects: Objects = new Map();
  for (const plural of Object.keys(resources)) {
    const file = path.join(directory, `${plural}.json`);
    if (resources[plural]!.crd && !existsSync(file)) continue; // the CRD is not installed
    const list = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { items: KubeObject[] | null }) : { items: [] };
    objects.set(plural, list.items ?? []);
  }
  return objects;
}

// The lists that list mode gathers for one namespace (or all), straight from the scenario's
// objects: for pure tests that need cluster-shaped snapshots without HTTP.
export function scenarioLists(scenario: string, namespace?: string): ClusterLists {
  const objects = scenarioObjects(scenario);
  const inScope = <T extends KubeObject>(plural: string): T[] =>
    (objects.get(plural) ?? []).filter((o) => namespace === undefined || !resources[plural]!.namespaced || o.metadata.namespace === namespace) as T[];
  return {
    services: inScope<Service>('services'),
    endpointSlices: inScope<EndpointSlice>('endpointslices'),
    pods: inScope<Pod>('pods'),
    nodes: { items: inScope<Node>('nodes') },
    networkPolicies: { items: inScope<NetworkPolicy>('networkpolicies') },
    events: { items: inScope<Event>('events').filter((e) => e.type === 'Warning' && e.involvedObject.kind === 'Service') },
    namespaces: namespace === undefined ? { items: inScope<Namespace>('namespaces') } : { skipped: 'namespaces not needed' },
  };
}

export async function startApiServer(scenario: string, options: ScenarioOptions = {}): Promise<FakeApiServer> {
  const settings = serverFile(scenario);
  const objects = scenarioObjects(scenario);
  const forbidden = new Set(options.forbidden ?? settings.forbidden ?? []);
  const user = options.user ?? settings.user ?? 'system:serviceaccount:shop:svc-trace-reader';
  const token = 'fake-apiserver-token-7f3a9c1e5b2d4068';
  const requests: RecordedRequest[] = [];
  // The etcd revision: every change moves it on; lists and watch events carry it.
  let revision = 61234;
  const watchers = new Set<Watcher>();
  const waiters: Array<{ plural: string; resolve: () => void }> = [];

  const startWatch = (
    response: http.ServerResponse,
    route: { plural: string; namespace?: string },
    selects: (object: KubeObject) => boolean,
    initialResourceVersion: string | null,
  ): void => {
    const resource = resources[route.plural]!;
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Audit-Id': `0b1c2d3e-${String(requests.length).padStart(4, '0')}-4f5a-8b6c-7d8e9f0a1b2c`,
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    const watcher: Watcher = {
      plural: route.plural,
      selects: (object) => (route.namespace === undefined || object.metadata.namespace === route.namespace) && selects(object),
      send: (type, object) => {
        response.write(`${JSON.stringify({ type, object: { kind: resource.kind, apiVersion: apiVersion(resource), ...object } })}\n`);
      },
    };
    // No resourceVersion (or "0"): the current state first, as synthetic ADDED events.
    if (!initialResourceVersion || initialResourceVersion === '0') {
      for (const object of objects.get(route.plural) ?? []) if (watcher.selects(object)) watcher.send('ADDED', object);
    }
    watchers.add(watcher);
    response.on('close', () => watchers.delete(watcher));
    for (let index = waiters.length - 1; index >= 0; index -= 1) {
      if (waiters[index]!.plural === route.plural) waiters.splice(index, 1)[0]!.resolve();
    }
  };

  const apply = (plural: string, object: KubeObject): void => {
    const list = objects.get(plural);
    if (!list) throw new Error(`the fake API server serves no resource ${plural}`);
    const { kind: _kind, apiVersion: _apiVersion, ...rest } = structuredClone(object);
    revision += 1;
    const stored: KubeObject = { ...rest, metadata: { ...rest.metadata, resourceVersion: String(revision) } };
    const index = list.findIndex((o) => o.metadata.namespace === stored.metadata.namespace && o.metadata.name === stored.metadata.name);
    const before = index === -1 ? undefined : list[index];
    if (index === -1) list.push(stored);
    else list[index] = stored;
    for (const watcher of watchers) {
      if (watcher.plural !== plural) continue;
      const was = before !== undefined && watcher.selects(before);
      if (watcher.selects(stored)) watcher.send(was ? 'MODIFIED' : 'ADDED', stored);
      else if (was) watcher.send('DELETED', stored);
    }
  };

  const remove = (plural: string, namespace: string | undefined, name: string): void => {
    const list = objects.get(plural) ?? [];
    const index = list.findIndex((o) => o.metadata.namespace === namespace && o.metadata.name === name);
    if (index === -1) throw new Error(`the fake API server has no ${plural} ${namespace ?? ''}/${name}`);
    const [gone] = list.splice(index, 1);
    revision += 1;
    const deleted: KubeObject = { ...gone!, metadata: { ...gone!.metadata, resourceVersion: String(revision) } };
    for (const watcher of watchers) if (watcher.plural === plural && watcher.selects(deleted)) watcher.send('DELETED', deleted);
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const accept = request.headers.accept ?? '';
    requests.push({ method: request.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), accept });
    if (options.fault?.(request, response, url)) return;
    const answer = (status: number, body: unknown): void => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const headers: http.OutgoingHttpHeaders = {
        'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
        'Audit-Id': `0b1c2d3e-${String(requests.length).padStart(4, '0')}-4f5a-8b6c-7d8e9f0a1b2c`,
        'Cache-Control': 'no-cache, private',
      };
      // kube-apiserver compresses only large responses (128 KiB and up) for clients that accept gzip.
      const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? '')) && Buffer.byteLength(text) >= 128 * 1024;
      const payload = gzip ? gzipSync(text) : Buffer.from(text);
      if (gzip) headers['Content-Encoding'] = 'gzip';
      headers['Content-Length'] = payload.length;
      response.writeHead(status, headers);
      response.end(payload);
    };
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.headers.authorization !== `Bearer ${token}`) return answer(401, status(401, 'Unauthorized', 'Unauthorized'));
      // API discovery of the Gateway API group: served when the scenario installs its CRDs.
      if (url.pathname === '/apis/gateway.networking.k8s.io/v1' && objects.has('httproutes')) {
        return answer(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'gateway.networking.k8s.io/v1', resources: [] });
      }
      const route = parseRoute(url.pathname);
      if (!route || !objects.has(route.plural)) return answer(404, '404 page not found');
      const resource = resources[route.plural]!;
      const qualified = resource.group ? `${route.plural}.${resource.group}` : route.plural;
      // POST of a Service (expose): validated, defaulted and stored as kube-apiserver does; `dryRun=All` stores nothing.
      if (request.method === 'POST' && route.plural === 'services' && route.namespace !== undefined && route.name === undefined) {
        if (forbidden.has('services')) {
          return answer(403, status(403, 'Forbidden', `services is forbidden: User "${user}" cannot create resource "services" in API group "" in the namespace "${route.namespace}"`, { kind: 'services', group: '' }));
        }
        const dryRun = url.searchParams.get('dryRun') === 'All';
        const created = createService(objects, route.namespace, Buffer.concat(chunks).toString('utf8'), dryRun);
        if (created.status !== 201) return answer(created.status, created.body);
        const service = created.body as KubeObject;
        if (!dryRun) apply('services', service);
        const stored = dryRun ? service : (objects.get('services') ?? []).find((o) => o.metadata.namespace === route.namespace && o.metadata.name === service.metadata.name)!;
        return answer(201, { kind: 'Service', apiVersion: 'v1', ...stored });
      }
      if (request.method !== 'GET') {
        return answer(405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', { kind: route.plural, group: resource.group }));
      }
      const watch = url.searchParams.get('watch') === '1' || url.searchParams.get('watch') === 'true';
      if (forbidden.has(route.plural)) {
        const verb = watch ? 'watch' : route.name === undefined ? 'list' : 'get';
        const scope = route.namespace === undefined ? 'at the cluster scope' : `in the namespace "${route.namespace}"`;
        const what = route.name === undefined ? '' : ` "${route.name}"`;
        return answer(
          403,
          status(403, 'Forbidden', `${qualified}${what} is forbidden: User "${user}" cannot ${verb} resource "${route.plural}" in API group "${resource.group}" ${scope}`, {
            ...(route.name === undefined ? {} : { name: route.name }),
            group: resource.group,
            kind: route.plural,
          }),
        );
      }
      if (watch) {
        if (route.name !== undefined) {
          return answer(400, status(400, 'BadRequest', 'the fake API server watches collections only: use fieldSelector=metadata.name=NAME'));
        }
        let labels: (object: KubeObject) => boolean;
        let fields: (object: KubeObject) => boolean;
        try {
          labels = labelFilter(url.searchParams.get('labelSelector') ?? '');
          fields = fieldFilter(url.searchParams.get('fieldSelector') ?? '', resource);
        } catch (error) {
          return answer(400, status(400, 'BadRequest', (error as Error).message));
        }
        return startWatch(response, route, (o) => labels(o) && fields(o), url.searchParams.get('resourceVersion'));
      }
      const items = (objects.get(route.plural) ?? []).filter((o) => route.namespace === undefined || o.metadata.namespace === route.namespace);
      if (route.name !== undefined) {
        const found = items.find((o) => o.metadata.name === route.name);
        if (!found) {
          return answer(404, status(404, 'NotFound', `${qualified} "${route.name}" not found`, { name: route.name, group: resource.group, kind: route.plural }));
        }
        if (accept.includes(metadataOnlyObject)) {
          return answer(200, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: found.metadata });
        }
        return answer(200, { kind: resource.kind, apiVersion: apiVersion(resource), ...found });
      }
      let selected: KubeObject[];
      try {
        selected = items
          .filter(labelFilter(url.searchParams.get('labelSelector') ?? ''))
          .filter(fieldFilter(url.searchParams.get('fieldSelector') ?? '', resource));
      } catch (error) {
        return answer(400, status(400, 'BadRequest', (error as Error).message));
      }
      const page = paginate(selected, url.searchParams.get('limit'), url.searchParams.get('continue'));
      const metadata = { resourceVersion: String(revision), ...page.metadata };
      if (accept.includes(metadataOnlyList)) {
        return answer(200, {
          kind: 'PartialObjectMetadataList',
          apiVersion: 'meta.k8s.io/v1',
          metadata,
          items: page.items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata })),
        });
      }
      return answer(200, { kind: `${resource.kind}List`, apiVersion: apiVersion(resource), metadata, items: page.items });
    });
  });
  // Upgrades (pods/portforward, --probe) are recorded like any request and refused as RBAC refuses
  // a user without get and create on pods/portforward: this fake has no kubelet behind it.
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: request.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), accept: request.headers.accept ?? '' });
    const [, namespace = '', pod = ''] = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(url.pathname) ?? [];
    const body = JSON.stringify(
      status(403, 'Forbidden', `pods "${pod}" is forbidden: User "${user}" cannot get resource "pods/portforward" in API group "" in the namespace "${namespace}"`, { name: pod, kind: 'pods' }),
    );
    socket.on('error', () => {});
    socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
    apply,
    remove,
    bookmark: () => {
      for (const watcher of watchers) watcher.send('BOOKMARK', { metadata: { resourceVersion: String(revision) } } as KubeObject);
    },
    watching: (plural) =>
      [...watchers].some((watcher) => watcher.plural === plural) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ plural, resolve })),
  };
}

// kube-apiserver's create of a Service, as far as expose meets it: 400 for a body in another namespace,
// 409 AlreadyExists, 422 Invalid for a node port in use (also in a dry run) or, when really
// creating, outside 30000-32767 (a dry run does not check the range); else the server's defaults.
function createService(objects: Objects, namespace: string, text: string, dryRun: boolean): { status: number; body: unknown } {
  let service: Service;
  try {
    service = JSON.parse(text) as Service;
  } catch {
    return { status: 400, body: status(400, 'BadRequest', 'the body of the request was in an unknown format') };
  }
  if (service.metadata.namespace !== undefined && service.metadata.namespace !== namespace) {
    return { status: 400, body: status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request') };
  }
  const name = service.metadata.name;
  const services = (objects.get('services') ?? []) as Service[];
  if (services.some((o) => o.metadata.namespace === namespace && o.metadata.name === name)) {
    return { status: 409, body: status(409, 'AlreadyExists', `services "${name}" already exists`, { name, kind: 'services' }) };
  }
  const taken = new Set(services.flatMap((o) => (o.spec.ports ?? []).map((p) => p.nodePort)).filter((p) => p !== undefined));
  const outside = service.spec.type === 'NodePort' || service.spec.type === 'LoadBalancer';
  const causes = (service.spec.ports ?? []).flatMap((port, index) => {
    if (!outside || port.nodePort === undefined) return [];
    const field = `spec.ports[${index}].nodePort`;
    if (taken.has(port.nodePort)) return [{ reason: 'FieldValueInvalid', message: `Invalid value: ${port.nodePort}: provided port is already allocated`, field }];
    if (!dryRun && (port.nodePort < 30000 || port.nodePort > 32767)) {
      return [{ reason: 'FieldValueInvalid', message: `Invalid value: ${port.nodePort}: provided port is not in the valid range. The range of valid ports is 30000-32767`, field }];
    }
    return [];
  });
  if (causes.length > 0) {
    const listed = causes.map((cause) => `${cause.field}: ${cause.message}`);
    return {
      status: 422,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Service "${name}" is invalid: ${listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`}`,
        reason: 'Invalid',
        details: { name, kind: 'Service', causes },
        code: 422,
      },
    };
  }
  // A dry run answers with a placeholder address (the first of the range); a create allocates one.
  const clusterIP = service.spec.clusterIP ?? (dryRun ? '10.0.0.0' : `10.0.0.${200 + services.length}`);
  let nextNodePort = 30000 + services.length * 7;
  const freeNodePort = (): number => {
    while (taken.has(nextNodePort)) nextNodePort += 1;
    taken.add(nextNodePort);
    return nextNodePort;
  };
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = service;
  return {
    status: 201,
    body: {
      ...rest,
      metadata: { ...service.metadata, namespace, uid: `5e1f0c2a-0000-4000-8000-${String(services.length).padStart(12, '0')}`, creationTimestamp: '2025-06-02T09:00:00Z' },
      spec: {
        ...service.spec,
        ports: (service.spec.ports ?? []).map((port) => ({
          ...port,
          protocol: port.protocol ?? 'TCP',
          targetPort: port.targetPort ?? port.port,
          ...(outside ? { nodePort: port.nodePort ?? freeNodePort() } : {}),
        })),
        clusterIP,
        clusterIPs: [clusterIP],
        type: service.spec.type ?? 'ClusterIP',
        sessionAffinity: service.spec.sessionAffinity ?? 'None',
        ...(outside ? { externalTrafficPolicy: service.spec.externalTrafficPolicy ?? 'Cluster' } : {}),
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: service.spec.internalTrafficPolicy ?? 'Cluster',
      },
      status: { loadBalancer: {} },
    },
  };
}

// A kubeconfig with one context that reaches the server with its bearer token.
export function kubeconfigFor(server: { url: string; token: string }, namespace = 'shop'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: fake',
    '    cluster:',
    `      server: ${server.url}`,
    'users:',
    '  - name: reader',
    '    user:',
    `      token: ${server.token}`,
    'contexts:',
    '  - name: fake',
    '    context:',
    '      cluster: fake',
    '      user: reader',
    `      namespace: ${namespace}`,
    'current-context: fake',
    '',
  ].join('\n');
}

// The same, but the token comes through an auth provider (gcp, with a token that has not expired:
// no command is run), which @kubernetes/client-node applies, not svc-trace's own code.
export function authProviderKubeconfig(server: { url: string; token: string }, namespace = 'shop'): string {
  const provider = ['      auth-provider:', '        name: gcp', '        config:', `          access-token: ${server.token}`, '          expiry: "2999-01-01T00:00:00Z"'];
  return kubeconfigFor(server, namespace).replace(`      token: ${server.token}`, provider.join('\n'));
}

function apiVersion(resource: Resource): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

function status(code: number, reason: string, message: string, details?: Record<string, string>) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

// /api/v1/namespaces/shop/services/web, /apis/discovery.k8s.io/v1/endpointslices, /api/v1/namespaces/shop ...
function parseRoute(pathname: string): { plural: string; namespace?: string; name?: string } | undefined {
  const parts = pathname.split('/').filter(Boolean);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') [group, version, rest] = ['', parts[1] ?? '', parts.slice(2)];
  else if (parts[0] === 'apis') [group, version, rest] = [parts[1] ?? '', parts[2] ?? '', parts.slice(3)];
  else return undefined;
  let route: { plural: string; namespace?: string; name?: string };
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest.length <= 4) route = { namespace: rest[1], plural: rest[2]!, name: rest[3] };
  else if (rest.length >= 1 && rest.length <= 2) route = { plural: rest[0]!, name: rest[1] };
  else return undefined;
  const resource = resources[route.plural];
  if (!resource || resource.group !== group || resource.version !== version) return undefined;
  if (route.namespace !== undefined && !resource.namespaced) return undefined;
  return route;
}

// Label selectors as apimachinery parses them: k=v, k==v, k!=v, k, !k, k in (a,b), k notin (a,b).
function labelFilter(selector: string): (object: KubeObject) => boolean {
  const requirements = splitOutsideParentheses(selector).map((text) => {
    const requirement = text.trim();
    let match: RegExpExecArray | null;
    if ((match = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(requirement))) {
      const [, key, operator, value] = match;
      return (labels: Record<string, string>) => (operator === '!=' ? labels[key!] !== value : labels[key!] === value);
    }
    if ((match = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(requirement))) {
      const [, key, operator, list] = match;
      const values = list!.split(',').map((v) => v.trim());
      return (labels: Record<string, string>) => (operator === 'in' ? values.includes(labels[key!] ?? '\0') : !values.includes(labels[key!] ?? '\0'));
    }
    if ((match = /^(!?)([\w./-]+)$/.exec(requirement))) {
      const [, not, key] = match;
      return (labels: Record<string, string>) => (key! in labels) !== (not === '!');
    }
    throw new Error(`unable to parse requirement: found '${requirement}', expected: identifier`);
  });
  return (object) => requirements.every((matches) => matches(object.metadata.labels ?? {}));
}

function splitOutsideParentheses(text: string): string[] {
  if (text.trim() === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of text) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += character;
  }
  parts.push(current);
  return parts;
}

// Field selectors: only the fields the real API server supports for the resource, = / == / !=.
function fieldFilter(selector: string, resource: Resource): (object: KubeObject) => boolean {
  const supported = new Set(['metadata.name', 'metadata.namespace', ...resource.fields]);
  const requirements = splitOutsideParentheses(selector).map((text) => {
    const match = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(text.trim());
    if (!match) throw new Error(`invalid selector: '${selector}'; can't understand '${text}'`);
    const [, field, operator, value] = match;
    if (!supported.has(field!)) throw new Error(`field label not supported: ${field}`);
    return (object: KubeObject) => {
      const actual = String(field!.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], object) ?? '');
      return operator === '!=' ? actual !== value : actual === value;
    };
  });
  return (object) => requirements.every((matches) => matches(object));
}

// `limit` and `continue` as the API server pages a list (the token is opaque to clients).
function paginate(items: KubeObject[], limitText: string | null, continueToken: string | null) {
  const offset = continueToken ? Number(Buffer.from(continueToken, 'base64url').toString('utf8')) : 0;
  const limit = limitText ? Number(limitText) : 0;
  if (!(limit > 0) || offset + limit >= items.length) return { items: items.slice(offset), metadata: {} };
  const next = offset + limit;
  return {
    items: items.slice(offset, next),
    metadata: { continue: Buffer.from(String(next)).toString('base64url'), remainingItemCount: items.length - next },
  };
}
