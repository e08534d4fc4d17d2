// `kubectl svc-trace expose TYPE/NAME`: read the workload, settle the choices (flags, else the
// wizard on a terminal), then print (--dry-run) or check with a server-side dry run, create, wait
// for the EndpointSlice controller and trace the new Service. The only command that writes.

import { analyze } from '../analyze/trace.js';
import type { Connection, ConnectOptions } from '../cluster/kubeconfig.js';
import type { Gateway } from '../cluster/gateway.js';
import { metadataOnly, optional, paths } from '../cluster/lookups.js';
import { ApiStatusError, ExitCode, notFoundError, usageError, type ExitCodeValue } from '../errors.js';
import { buildService, decidedChoices } from '../expose/builder.js';
import { expectedAddresses, slicesComplete } from '../expose/endpoints.js';
import { renderService, withoutManagedFields } from '../expose/output.js';
import { missingChoiceError, openChoices, planExpose, type Choices, type OpenChoice, type Plan } from '../expose/plan.js';
import { previewSnapshot } from '../expose/preview.js';
import { displayName, workloadCollectionPath, workloadPath, type WorkloadReference } from '../expose/reference.js';
import { ServiceRefused, alreadyExists, refusalOf } from '../expose/refusals.js';
import { parseExposeRequest, type ExposeFlags, type ExposeRequest } from '../expose/request.js';
import { exposedWorkload } from '../expose/workload.js';
import { formatLabels } from '../kube/labels.js';
import { nearestNames } from '../kube/names.js';
import type { EndpointSlice, KubeObject, NetworkPolicy, Node, Pod, Service, Workload } from '../kube/types.js';
import type { Preview, WizardOutcome } from '../ui/expose-wizard.js';
import { renderTrace, reportRequests, traceFormat, type Terminal } from './output.js';

export interface ExposeOptions extends ExposeFlags, ConnectOptions {
  // stdin and stdout are terminals: the wizard can run and confirmation can be asked.
  interactive: boolean;
  stdin?: NodeJS.ReadStream;
  // How long to wait for the EndpointSlice controller after creating (default 10 s).
  endpointWaitMs?: number;
}

const defaultEndpointWaitMs = 10_000;

export async function runExpose(options: ExposeOptions, terminal: Terminal): Promise<ExitCodeValue> {
  const request = parseExposeRequest(options);
  if (request.dryRun === 'none' && !options.interactive && !request.yes) {
    throw usageError('creating a Service needs a confirmation, and there is no terminal to ask on', 'pass --yes to create it, or --dry-run=client to print it without creating anything');
  }
  const { connect } = await import('../cluster/kubeconfig.js');
  const connection = await connect(options);
  try {
    return await exposeWorkload(request, connection, options, terminal);
  } finally {
    if (options.debug) reportRequests(terminal, connection.gateway.requestCount);
  }
}

async function exposeWorkload(request: ExposeRequest, connection: Connection, options: ExposeOptions, terminal: Terminal): Promise<ExitCodeValue> {
  const { gateway, namespace } = connection;
  const creating = request.dryRun === 'none';
  const object = await getWorkload(gateway, request.reference, namespace);
  const planned = planExpose(exposedWorkload(request.reference, object, namespace, request.selector), request);
  // Without a terminal the type defaults to ClusterIP, as with kubectl expose; on a terminal the wizard asks.
  const plan = !options.interactive && !planned.kind && planned.kinds.includes('ClusterIP') ? { ...planned, kind: 'ClusterIP' as const } : planned;
  for (const note of plan.notes) terminal.stderr.write(`note: ${note}\n`);
  const open = openChoices(plan);
  if (open.length > 0 && !options.interactive) throw missingChoiceError(plan, open);

  let service: Service;
  let checked = false;
  if (options.interactive && (open.length > 0 || (creating && !request.yes))) {
    const outcome = await wizard(plan, request, open, connection, options, terminal);
    if (outcome.action === 'cancel') {
      terminal.stderr.write('Cancelled: no Service was created.\n');
      return ExitCode.broken;
    }
    ({ service, checked } = outcome);
  } else {
    service = buildService(plan, request, decidedChoices(plan)!);
  }

  if (request.dryRun === 'client') {
    terminal.stdout.write(renderService(service, request.output ?? 'yaml'));
    return ExitCode.ok;
  }
  if (request.dryRun === 'server') {
    terminal.stdout.write(renderService(withoutManagedFields(await postService(gateway, service, true)), request.output ?? 'yaml'));
    return ExitCode.ok;
  }
  if (!checked) {
    await ensureAbsent(gateway, service);
    await postService(gateway, service, true);
  }
  const created = await postService(gateway, service, false);
  if (request.output) {
    terminal.stdout.write(renderService(withoutManagedFields(created), request.output));
    return ExitCode.ok;
  }
  terminal.stdout.write(`service/${created.metadata.name} created\n`);
  await waitForEndpoints(gateway, service, options.endpointWaitMs ?? defaultEndpointWaitMs, terminal);
  const { gatherSnapshot } = await import('../cluster/gather.js');
  const trace = analyze(await gatherSnapshot(gateway, { namespace, name: created.metadata.name }));
  terminal.stdout.write(await renderTrace(trace, traceFormat(undefined, terminal), terminal));
  // The Service exists as asked: done, whatever its first trace says (the trace shows the verdict).
  return ExitCode.ok;
}

async function getWorkload(gateway: Gateway, reference: WorkloadReference, namespace: string): Promise<Workload | Pod> {
  try {
    return await gateway.get<Workload | Pod>(workloadPath(reference, namespace));
  } catch (error) {
    if (!(error instanceof ApiStatusError && error.status === 404)) throw error;
    const [namespaceExists, others] = await Promise.all([
      gateway.get(paths.namespace(namespace)).then(
        () => true,
        (failure) => !(failure instanceof ApiStatusError && failure.status === 404),
      ),
      gateway.list<KubeObject>(workloadCollectionPath(reference.kind, namespace), {}, metadataOnly).catch(() => [] as KubeObject[]),
    ]);
    if (!namespaceExists) throw notFoundError(`namespace "${namespace}" not found`, 'list namespaces with: kubectl get namespaces');
    const near = nearestNames(reference.name, others.map((other) => other.metadata.name));
    const kind = reference.kind.toLowerCase();
    throw notFoundError(
      `${kind} "${reference.name}" not found in namespace "${namespace}"`,
      near.length > 0 ? `did you mean ${near.map((name) => displayName({ kind: reference.kind, name })).join(' or ')}?` : `list them with: kubectl get ${kind}s -n ${namespace}`,
    );
  }
}

// A Service that exists is never replaced: look first, and refuse.
async function ensureAbsent(gateway: Gateway, service: Service): Promise<void> {
  const namespace = service.metadata.namespace!;
  try {
    await gateway.get(paths.named(paths.services(namespace), service.metadata.name));
  } catch (error) {
    if (error instanceof ApiStatusError && error.status === 404) return;
    throw error;
  }
  throw alreadyExists(namespace, service.metadata.name);
}

async function postService(gateway: Gateway, service: Service, dryRun: boolean): Promise<Service> {
  try {
    return await gateway.post<Service>(paths.services(service.metadata.namespace!), service, dryRun ? { dryRun: 'All' } : undefined);
  } catch (error) {
    throw refusalOf(error, service) ?? error;
  }
}

// What analyze() needs besides the would-be Service: the live pods it would select, and what the
// trace of an existing Service would read (nodes for node ports, NetworkPolicies, the namespace).
async function preview(gateway: Gateway, service: Service): Promise<Preview> {
  let refusal: Preview['refusal'];
  try {
    await ensureAbsent(gateway, service);
    await postService(gateway, service, true);
  } catch (error) {
    if (!(error instanceof ServiceRefused)) throw error;
    refusal = { message: error.message, hint: error.hint };
  }
  const namespace = service.metadata.namespace!;
  const outside = service.spec.type === 'NodePort' || service.spec.type === 'LoadBalancer';
  const { resolveClient } = await import('../cluster/client.js');
  const [pods, nodes, networkPolicies, client] = await Promise.all([
    gateway.list<Pod>(paths.pods(namespace), { labelSelector: formatLabels(service.spec.selector) }),
    outside ? optional('nodes', () => gateway.list<Node>(paths.nodes())) : Promise.resolve({ skipped: 'nodes not needed for this Service' }),
    optional('networkpolicies', () => gateway.list<NetworkPolicy>(paths.networkPolicies(namespace))),
    resolveClient(gateway, { kind: 'generic' }, namespace),
  ]);
  const otherPods =
    pods.length === 0
      ? (await gateway.list<KubeObject>(paths.pods(namespace), {}, metadataOnly)).map((o): Pod => ({ metadata: o.metadata, spec: { containers: [] } }))
      : [];
  const trace = analyze(previewSnapshot(service, { pods, otherPods, nodes, networkPolicies, client }));
  return refusal ? { trace, refusal } : { trace };
}

async function wizard(plan: Plan, request: ExposeRequest, open: OpenChoice[], connection: Connection, options: ExposeOptions, terminal: Terminal): Promise<WizardOutcome> {
  const { runExposeWizard } = await import('../ui/expose-wizard.js');
  const steps: OpenChoice[] = open.length > 0 && !plan.nameGiven && !open.includes('name') ? [...open, 'name'] : open;
  return runExposeWizard({
    plan,
    steps,
    review: request.dryRun === 'none' && !request.yes,
    build: (choices: Choices) => buildService(plan, request, choices),
    prepare: (service: Service) => preview(connection.gateway, service),
    columns: terminal.columns,
    color: terminal.color,
    stdin: options.stdin,
  });
}

// Waits (watch, not polling) until the EndpointSlice controller has listed the Service's pods, or
// the time is up; the trace that follows shows what is there either way.
async function waitForEndpoints(gateway: Gateway, service: Service, waitMs: number, terminal: Terminal): Promise<void> {
  const { followEndpointSlices, listSelectedPods } = await import('../cluster/follow.js');
  const namespace = service.metadata.namespace!;
  const name = service.metadata.name;
  const pods = service.spec.selector ? await listSelectedPods(gateway, namespace, service.spec.selector) : [];
  const expected = expectedAddresses(pods);
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let slices: EndpointSlice[] | undefined;
  let waited = false;
  // Until the first list, a failure is the command's; after it, a watch that fails only means the trace comes sooner.
  let failure: unknown;
  const following = followEndpointSlices(
    gateway,
    { namespace, service: name },
    {
      onSlices: (current) => {
        const first = slices === undefined;
        slices = current;
        if (slicesComplete(current, expected) || (first && waitMs <= 0)) stop.abort();
        else if (first) {
          waited = true;
          terminal.stderr.write(`Waiting up to ${waitMs / 1000}s for the EndpointSlice controller to list the ${expected} pod(s)...\n`);
          timer = setTimeout(() => stop.abort(), waitMs);
        }
      },
      onTrouble: (_message, problem) => {
        if (slices !== undefined || problem === undefined) return;
        failure = problem;
        stop.abort();
      },
    },
    { signal: stop.signal },
  );
  try {
    await following;
  } catch (error) {
    if (slices === undefined) throw error;
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
  if (failure !== undefined) throw failure;
  if (waited && !slicesComplete(slices ?? [], expected)) {
    terminal.stderr.write(`note: after ${waitMs / 1000}s the EndpointSlices do not list every pod yet; the trace shows them as they are now\n`);
  }
}
