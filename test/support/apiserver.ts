// A fake Kubernetes API server for command tests: node:http on 127.0.0.1, serving the objects of
// test/fixtures/apiserver/<scenario>/ the way kube-apiserver does — GET of one object, LIST with
// labelSelector, fieldSelector, limit/continue and metadata-only lists, real `Status` bodies for
// 401/403/404/405 — and recording every request so that tests can say which ones were made.
//
// A scenario folder holds one list response per resource (`services.json`, `pods.json`, ...), items
// of every namespace, as the API server returns them (items without apiVersion/kind). An optional
// `server.json` says `{"objects": "<other scenario>", "user": "...", "forbidden": ["events", ...]}`.

import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
};

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
}

export interface FakeApiServer {
  url: string;
  token: string;
  requests: RecordedRequest[];
  close: () => Promise<void>;
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

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const accept = request.headers.accept ?? '';
    requests.push({ method: request.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), accept });
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
    request.resume();
    request.on('end', () => {
      if (request.headers.authorization !== `Bearer ${token}`) return answer(401, status(401, 'Unauthorized', 'Unauthorized'));
      const route = parseRoute(url.pathname);
      if (!route) return answer(404, '404 page not found');
      const resource = resources[route.plural]!;
      const qualified = resource.group ? `${route.plural}.${resource.group}` : route.plural;
      if (request.method !== 'GET') {
        return answer(405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', { kind: route.plural, group: resource.group }));
      }
      if (url.searchParams.get('watch') === '1' || url.searchParams.get('watch') === 'true') {
        return answer(400, status(400, 'BadRequest', 'the fake API server does not serve watches'));
      }
      if (forbidden.has(route.plural)) {
        const verb = route.name === undefined ? 'list' : 'get';
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
      const items = (objects.get(route.plural) ?? []).filter((o) => route.namespace === undefined || o.metadata.namespace === route.namespace);
      if (route.name !== undefined) {
        const found = items.find((o) => o.metadata.name === route.name);
        if (!found) {
          return answer(404, status(404, 'NotFound', `${qualified} "${route.name}" not found`, { name: route.name, group: resource.group, kind: route.plural }));
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
      const metadata = { resourceVersion: '61234', ...page.metadata };
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
