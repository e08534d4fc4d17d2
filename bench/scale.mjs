#!/usr/bin/env node
// List mode at scale: builds a large cluster state on the local control plane (test/cluster/up.sh)
// and measures `kubectl svc-trace -A` against kubectl doing comparable work on the same cluster.
//
//   eval "$(bash test/cluster/up.sh)"
//   npm run bench:scale                  # build the set (idempotent), then measure
//   npm run bench:scale -- build         # only build the set
//   npm run bench:scale -- measure [RUNS]
//
// The set (defaults: 2,500 Services / 22,500 pods): SCALE_NAMESPACES namespaces `scale-NN` with
// SCALE_SERVICES_PER_NAMESPACE Services each, every Service selecting SCALE_PODS_PER_SERVICE pods;
// one Service in ten is headless, one in twenty-five a NodePort. Pods are created directly with
// `nodeName` on SCALE_NODES extra KWOK nodes (the ReplicaSet controller makes only ~14 pods/s; direct
// creates, many at once, several times that), the EndpointSlice controller fills the slices (the
// script waits for them and says how long that took), and a ServiceCIDR adds ClusterIPs beyond the
// default /24 range. Everything the script creates carries the label svc-trace-bench=scale; a second,
// small namespace `scale-small` (5 Services) checks that list mode did not get slower at small size.
//
// Measured: paired rounds, each running every command once in a rotating order; medians of wall time
// and peak RSS (/usr/bin/time). `after` is this checkout (npm run build); `before` is another
// checkout named by SVC_TRACE_BENCH_BEFORE (built, with its own node_modules), run by the same Node.
// Either may instead name a packaged executable (SVC_TRACE_BENCH_AFTER=dist-release/build/<os>-<arch>/
// kubectl-svc_trace after npm run package; SVC_TRACE_BENCH_BEFORE=another one) to measure that path.
// kubectl is the local cluster's build (test/cluster/versions.env), else the one on PATH.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

const repository = path.resolve(import.meta.dirname, '..');
const size = {
  namespaces: Number(process.env.SCALE_NAMESPACES ?? 50),
  servicesPerNamespace: Number(process.env.SCALE_SERVICES_PER_NAMESPACE ?? 50),
  podsPerService: Number(process.env.SCALE_PODS_PER_SERVICE ?? 9),
  nodes: Number(process.env.SCALE_NODES ?? 100),
};
const benchLabel = { 'svc-trace-bench': 'scale' };
const smallNamespace = 'scale-small';
const concurrency = 16;

function fail(message) {
  process.stderr.write(`bench/scale: ${message}\n`);
  process.exit(2);
}

function log(message) {
  process.stderr.write(`[bench/scale] ${message}\n`);
}

function kubectlBinary() {
  const built = spawnSync('bash', ['-c', 'source test/cluster/versions.env && echo "$CACHE/bin/kubectl"'], { cwd: repository, encoding: 'utf8' }).stdout?.trim();
  return built && existsSync(built) ? built : 'kubectl';
}

// ------------------------------------------------------------------ the API server, directly

async function connect() {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  config.loadFromDefault();
  const cluster = config.getCurrentCluster();
  if (!cluster) fail('no current cluster in the kubeconfig: eval "$(bash test/cluster/up.sh)" first');
  const options = {};
  await config.applyToHTTPSOptions(options);
  const server = new URL(cluster.server);
  const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ...options });
  return (method, apiPath, body, accept = 'application/json') =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = https.request(
        {
          ...options,
          agent,
          hostname: server.hostname,
          port: server.port,
          method,
          path: apiPath,
          headers: { ...options.headers, Accept: accept, ...(payload ? { 'Content-Type': 'application/json' } : {}) },
          timeout: 60_000,
        },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode, body: text ? JSON.parse(text) : undefined });
          });
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${method} ${apiPath} timed out`)));
      request.on('error', reject);
      request.end(payload);
    });
}

// Names of the objects of a collection that carry the bench label (metadata only, every page).
async function existingNames(call, collection) {
  const names = new Set();
  let token = '';
  do {
    const query = new URLSearchParams({ labelSelector: 'svc-trace-bench=scale', limit: '5000', ...(token ? { continue: token } : {}) });
    const { status, body } = await call('GET', `${collection}?${query}`, undefined, 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    if (status !== 200) throw new Error(`listing ${collection}: ${status} ${body?.message ?? ''}`);
    for (const item of body.items ?? []) names.add(`${item.metadata.namespace ?? ''}/${item.metadata.name}`);
    token = body.metadata?.continue ?? '';
  } while (token);
  return names;
}

// POST every object not there yet, `concurrency` at a time; 409 (already exists) counts as done,
// 429/5xx are retried after a pause. Returns how many were created and the rate.
async function createAll(call, what, objects, collectionOf) {
  const started = performance.now();
  let next = 0;
  let created = 0;
  const worker = async () => {
    while (next < objects.length) {
      const object = objects[next++];
      for (let attempt = 0; ; attempt += 1) {
        const { status, body } = await call('POST', collectionOf(object), object);
        if (status === 201 || status === 409) {
          if (status === 201) created += 1;
          break;
        }
        if ((status === 429 || status >= 500) && attempt < 10) {
          await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
          continue;
        }
        throw new Error(`creating ${what} ${object.metadata.namespace ?? ''}/${object.metadata.name}: ${status} ${body?.message ?? ''}`);
      }
      if (created > 0 && created % 2500 === 0) log(`${what}: ${created} created`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (objects.length > 0) log(`${what}: ${created} created in ${seconds.toFixed(0)}s (${(created / seconds).toFixed(0)}/s)`);
  return created;
}

const missing = (objects, existing) => objects.filter((o) => !existing.has(`${o.metadata.namespace ?? ''}/${o.metadata.name}`));

// ------------------------------------------------------------------ the set

const zones = ['zone-a', 'zone-b', 'zone-c'];
const nodeName = (index) => `scale-node-${String(index).padStart(3, '0')}`;
const namespaceName = (index) => `scale-${String(index).padStart(2, '0')}`;
const serviceName = (index) => `svc-${String(index).padStart(2, '0')}`;

function nodes() {
  return Array.from({ length: size.nodes }, (_, index) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName(index),
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        ...benchLabel,
        type: 'kwok',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': nodeName(index),
        'topology.kubernetes.io/zone': zones[index % zones.length],
        'topology.kubernetes.io/region': 'region-1',
      },
    },
    // A /24 per node: KWOK gives each pod an address from its node's podCIDR.
    spec: { podCIDR: `10.250.${index}.0/24`, podCIDRs: [`10.250.${index}.0/24`] },
  }));
}

// One Service in ten is headless (StatefulSets), one in twenty-five a NodePort; the rest ClusterIP.
function serviceSpec(index) {
  const ports = [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }];
  if (index % 10 === 9) return { clusterIP: 'None', ports };
  if (index % 25 === 0) return { type: 'NodePort', ports };
  return { ports };
}

function namespaceSet(namespace, servicesPerNamespace, podsPerService, podIndexStart) {
  const services = [];
  const pods = [];
  let podIndex = podIndexStart;
  for (let s = 0; s < servicesPerNamespace; s++) {
    const app = serviceName(s);
    services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace, labels: { ...benchLabel, app } },
      spec: { selector: { app }, ...serviceSpec(s) },
    });
    for (let p = 0; p < podsPerService; p++) {
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${app}-${p}`, namespace, labels: { ...benchLabel, app, version: 'v1' } },
        spec: {
          nodeName: nodeName(podIndex++ % size.nodes),
          containers: [
            {
              name: 'app',
              image: `registry.invalid/${app}:1.0.0`,
              ports: [
                { name: 'http', containerPort: 8080, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
              ],
              env: [
                { name: 'SERVICE_NAME', value: app },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
            },
          ],
        },
      });
    }
  }
  return { services, pods };
}

async function build() {
  const call = await connect();
  const started = performance.now();

  const existingNodes = await existingNames(call, '/api/v1/nodes');
  await createAll(call, 'nodes', missing(nodes(), existingNodes), () => '/api/v1/nodes');

  // More ClusterIPs than the default /24 holds (networking.k8s.io/v1, GA in Kubernetes 1.33).
  const cidr = { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'svc-trace-bench', labels: benchLabel }, spec: { cidrs: ['10.1.0.0/20'] } };
  await createAll(call, 'servicecidrs', missing([cidr], await existingNames(call, '/apis/networking.k8s.io/v1/servicecidrs')), () => '/apis/networking.k8s.io/v1/servicecidrs');

  const namespaces = [...Array.from({ length: size.namespaces }, (_, index) => namespaceName(index)), smallNamespace];
  const namespaceObjects = namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: benchLabel } }));
  await createAll(call, 'namespaces', missing(namespaceObjects, await existingNames(call, '/api/v1/namespaces')), () => '/api/v1/namespaces');

  const services = [];
  const pods = [];
  namespaces.forEach((namespace, index) => {
    const set =
      namespace === smallNamespace
        ? namespaceSet(namespace, 5, 2, 0)
        : namespaceSet(namespace, size.servicesPerNamespace, size.podsPerService, index * size.servicesPerNamespace * size.podsPerService);
    services.push(...set.services);
    pods.push(...set.pods);
  });
  const namespaced = (plural) => (object) => `/api/v1/namespaces/${object.metadata.namespace}/${plural}`;
  await createAll(call, 'services', missing(services, await existingNames(call, '/api/v1/services')), namespaced('services'));
  await createAll(call, 'pods', missing(pods, await existingNames(call, '/api/v1/pods')), namespaced('pods'));

  // The EndpointSlice controller: how long until every Service's slice lists all its pods as ready.
  const slicesStarted = performance.now();
  const want = new Map(services.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, pods.filter((p) => p.metadata.namespace === s.metadata.namespace && p.metadata.labels.app === s.metadata.name).length]));
  for (;;) {
    const ready = new Map();
    let token = '';
    do {
      const query = new URLSearchParams({ labelSelector: 'svc-trace-bench=scale', limit: '500', ...(token ? { continue: token } : {}) });
      const { body } = await call('GET', `/apis/discovery.k8s.io/v1/endpointslices?${query}`);
      for (const slice of body.items ?? []) {
        const key = `${slice.metadata.namespace}/${slice.metadata.labels?.['kubernetes.io/service-name']}`;
        ready.set(key, (ready.get(key) ?? 0) + (slice.endpoints ?? []).filter((e) => e.conditions?.ready).length);
      }
      token = body.metadata?.continue ?? '';
    } while (token);
    const complete = [...want].filter(([key, count]) => ready.get(key) === count).length;
    const waited = (performance.now() - slicesStarted) / 1000;
    if (complete === want.size) {
      log(`EndpointSlices: all ${want.size} Services have every pod ready in their slices (waited ${waited.toFixed(0)}s after the last create)`);
      break;
    }
    if (waited > 1200) fail(`EndpointSlices: only ${complete} of ${want.size} Services complete after 20 minutes`);
    log(`EndpointSlices: ${complete} of ${want.size} Services complete (${waited.toFixed(0)}s)`);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
  log(`set ready in ${((performance.now() - started) / 1000).toFixed(0)}s: ${services.length} Services, ${pods.length} pods, ${size.nodes} extra nodes`);
}

// ------------------------------------------------------------------ measuring

// A directory of kubectl plugin launchers for one checkout (or one packaged executable), so that
// `kubectl svc-trace` runs it.
function pluginPath(checkout) {
  const directory = path.join(mkdtempSync(path.join(os.tmpdir(), 'svc-trace-scale-')), 'bin');
  mkdirSync(directory);
  if (statSync(checkout).isFile()) symlinkSync(path.resolve(checkout), path.join(directory, 'kubectl-svc_trace'));
  else for (const name of ['kubectl-svc_trace', 'kubectl-svc_explain']) symlinkSync(path.join(checkout, 'bin', `${name}.js`), path.join(directory, name));
  return directory;
}

// A checkout must have a build; a packaged executable is run as it is.
function checkBuilt(checkout, what) {
  if (!existsSync(checkout)) fail(`${what}=${checkout} does not exist`);
  if (statSync(checkout).isDirectory() && !existsSync(path.join(checkout, 'dist', 'src', 'cli', 'main.js'))) fail(`${what}=${checkout} has no build (dist/): run npm run build`);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// One run: wall milliseconds, peak RSS in MiB, and stdout (kept only when `keep`).
function run(command, keep) {
  const timeFile = path.join(os.tmpdir(), `svc-trace-scale-time-${process.pid}`);
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, ...command.args], {
    env: command.env,
    encoding: 'utf8',
    stdio: ['ignore', keep ? 'pipe' : 'ignore', 'pipe'],
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command.label} exited ${result.status}: ${result.stderr}`);
  const rss = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) / 1024;
  rmSync(timeFile, { force: true });
  return { ms, rss, stdout: result.stdout, stderr: result.stderr };
}

function measureRounds(commands, runs) {
  const results = new Map(commands.map((c) => [c.label, []]));
  for (const command of commands) run(command); // warm the page cache and the API server's
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < commands.length; i++) {
      const command = commands[(i + round) % commands.length];
      results.get(command.label).push(run(command));
    }
  }
  return new Map([...results].map(([label, list]) => [label, { ms: median(list.map((r) => r.ms)), rss: median(list.map((r) => r.rss)), all: list }]));
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mib = (value) => (value >= 1024 ? `${(value / 1024).toFixed(2)} GiB` : `${value.toFixed(0)} MiB`);
const range = (list) => `${seconds(Math.min(...list.map((r) => r.ms)))}–${seconds(Math.max(...list.map((r) => r.ms)))}`;

// How many requests one run sends (--debug prints the count on stderr).
function requestCount(command) {
  const { stderr } = run({ ...command, args: [...command.args, '--debug'] });
  const match = /(\d+) (?:API )?requests?/i.exec(stderr.split('\n').reverse().find((line) => /requests?/i.test(line)) ?? '');
  return match ? Number(match[1]) : undefined;
}

function measure(runs) {
  const kubectl = kubectlBinary();
  const kubectlPath = path.dirname(kubectl) === '.' ? [] : [path.dirname(kubectl)];
  const envFor = (checkout) => ({ ...process.env, PATH: [pluginPath(checkout), path.dirname(process.execPath), ...kubectlPath, process.env.PATH].join(path.delimiter) });
  const before = process.env.SVC_TRACE_BENCH_BEFORE;
  if (before) checkBuilt(before, 'SVC_TRACE_BENCH_BEFORE');
  const afterCheckout = process.env.SVC_TRACE_BENCH_AFTER ?? repository;
  checkBuilt(afterCheckout, 'SVC_TRACE_BENCH_AFTER');
  const after = envFor(afterCheckout);
  const plain = { ...process.env, PATH: [...kubectlPath, process.env.PATH].join(path.delimiter) };
  const svcTrace = (label, env, scope) => ({ label, env, args: ['kubectl', 'svc-trace', ...scope] });

  const sizes = [
    { name: `all namespaces (${size.namespaces * size.servicesPerNamespace} Services / ${size.namespaces * size.servicesPerNamespace * size.podsPerService} pods)`, scope: ['-A'], runs },
    { name: `one namespace (${smallNamespace}, 5 Services)`, scope: ['-n', smallNamespace], runs: Math.max(runs * 3, 9) },
  ];
  const load = [os.loadavg()];
  for (const { name, scope, runs: rounds } of sizes) {
    const commands = [
      svcTrace('svc-trace list, after', after, scope),
      ...(before ? [svcTrace('svc-trace list, before', envFor(before), scope)] : []),
      { label: '`kubectl get svc,endpointslices` (tables)', env: plain, args: ['kubectl', 'get', 'svc,endpointslices', ...scope] },
      { label: '`kubectl get svc,endpointslices,pods -o json`', env: plain, args: ['kubectl', 'get', 'svc,endpointslices,pods', ...scope, '-o', 'json'] },
    ];
    // The output must not change: before and after print the same table.
    if (before) {
      const [a, b] = [run(commands[0], true).stdout, run(commands[1], true).stdout];
      log(a === b ? `${name}: before and after print the same output (${a.split('\n').length} lines)` : `${name}: WARNING: before and after print different output`);
    }
    const requests = new Map(commands.filter((c) => c.label.startsWith('svc-trace')).map((c) => [c.label, requestCount(c)]));
    const results = measureRounds(commands, rounds);
    const tables = results.get(commands.find((c) => c.label.includes('tables')).label);
    const json = results.get(commands.find((c) => c.label.includes('json')).label);
    console.log(`\n### ${name}\n`);
    console.log('| work | wall (median) | wall (range) | peak RSS | requests | vs tables | vs -o json |');
    console.log('|---|---|---|---|---|---|---|');
    for (const command of commands) {
      const r = results.get(command.label);
      const count = requests.get(command.label);
      console.log(`| ${command.label} | ${seconds(r.ms)} | ${range(r.all)} | ${mib(r.rss)} | ${count ?? '—'} | ${(r.ms / tables.ms).toFixed(2)}× | ${(r.ms / json.ms).toFixed(2)}× |`);
    }
    console.log(`\n${rounds} paired rounds (rotating order, after one warm-up run each).`);
    load.push(os.loadavg());
  }
  console.log(`\nLoad average (1/5/15 min) at start: ${load[0].map((v) => v.toFixed(2)).join(' / ')}; at end: ${load.at(-1).map((v) => v.toFixed(2)).join(' / ')}; ${os.cpus().length} cores; Node ${process.version}; ${path.basename(kubectl)} ${spawnSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }).stdout.match(/"gitVersion":\s*"([^"]+)"/)?.[1] ?? ''}.`);
}

const [mode = 'all', runsArgument] = process.argv.slice(2);
const runs = Number(runsArgument ?? 5);
if (!['all', 'build', 'measure'].includes(mode) || !(runs > 0)) fail('usage: node bench/scale.mjs [all|build|measure] [RUNS]');
if (!process.env.KUBECONFIG) fail('KUBECONFIG is not set: eval "$(bash test/cluster/up.sh)" first (the bench only runs on the local control plane)');
if (mode !== 'measure') await build();
if (mode !== 'build') measure(runs);
