// `kubectl svc-trace expose TYPE/NAME`: read the workload, settle the choices (flags, else the
// wizard on a terminal), then print (--dry-run) or check with a server-side dry run, create, wait
// for the EndpointSlice controller and trace the new Service. The only command that writes.

import { analyze } from '../analyze/trace.js';
import type { Connection } from '../cluster/kubeconfig.js';
import type { Gateway } from '../cluster/gateway.js';
import { createService, ensureServiceAbsent } from '../cluster/services.js';
import { getWorkload } from '../cluster/workloads.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { buildService, decidedChoices } from '../expose/builder.js';
import { expectedAddresses, slicesComplete } from '../expose/endpoints.js';
import { renderService, withoutManagedFields } from '../expose/output.js';
import type { ExposeRequest } from '../expose/request.js';
import { missingChoiceError, openChoices, planExpose, type Choices, type OpenChoice, type Plan } from '../expose/plan.js';
import { previewSnapshot } from '../expose/preview.js';
import { ServiceRefused } from '../expose/refusals.js';
import { exposedWorkload } from '../expose/workload.js';
import type { EndpointSlice, Service } from '../kube/types.js';
import { traceFormat } from '../requests/trace.js';
import type { ExposeCommandRequest } from '../requests/expose.js';
import type { Preview, WizardOutcome } from '../ui/expose-wizard.js';
import { connectTo } from './connection.js';
import { renderTrace, reportRequests, type Terminal } from './output.js';

// How long to wait for the EndpointSlice controller after creating.
const endpointWaitMs = 10_000;

// `stdin`: where the wizard reads keys (a terminal, when request.interactive).
export async function runExpose(request: ExposeCommandRequest, terminal: Terminal, stdin?: NodeJS.ReadStream): Promise<ExitCodeValue> {
  const connection = await connectTo(request, terminal);
  try {
    return await exposeWorkload(request, connection, terminal, stdin);
  } finally {
    if (request.debug) reportRequests(terminal, connection.gateway.requestCount);
  }
}

async function exposeWorkload(request: ExposeCommandRequest, connection: Connection, terminal: Terminal, stdin?: NodeJS.ReadStream): Promise<ExitCodeValue> {
  const { gateway, namespace } = connection;
  const creating = request.dryRun === 'none';
  const object = await getWorkload(gateway, request.reference, namespace);
  const planned = planExpose(exposedWorkload(request.reference, object, namespace, request.selector), request);
  // Without a terminal the type defaults to ClusterIP, as with kubectl expose; on a terminal the wizard asks.
  const plan = !request.interactive && !planned.kind && planned.kinds.includes('ClusterIP') ? { ...planned, kind: 'ClusterIP' as const } : planned;
  for (const note of plan.notes) terminal.stderr.write(`note: ${note}\n`);
  const open = openChoices(plan);
  if (open.length > 0 && !request.interactive) throw missingChoiceError(plan, open);

  let service: Service;
  let checked = false;
  if (request.interactive && (open.length > 0 || (creating && !request.yes))) {
    const outcome = await wizard(plan, request, open, connection, terminal, stdin);
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
    terminal.stdout.write(renderService(withoutManagedFields(await createService(gateway, service, { dryRun: true })), request.output ?? 'yaml'));
    return ExitCode.ok;
  }
  if (!checked) {
    await ensureServiceAbsent(gateway, service);
    await createService(gateway, service, { dryRun: true });
  }
  const created = await createService(gateway, service, { dryRun: false });
  if (request.output) {
    terminal.stdout.write(renderService(withoutManagedFields(created), request.output));
    return ExitCode.ok;
  }
  terminal.stdout.write(`service/${created.metadata.name} created\n`);
  await waitForEndpoints(gateway, service, endpointWaitMs, terminal);
  const { gatherSnapshot } = await import('../cluster/gather.js');
  const trace = analyze(await gatherSnapshot(gateway, { namespace, name: created.metadata.name }));
  terminal.stdout.write(await renderTrace(trace, traceFormat(undefined, terminal.isTTY), terminal));
  // The Service exists as asked: done, whatever its first trace says (the trace shows the verdict).
  return ExitCode.ok;
}

// The preview trace of a Service not created yet, and the API server's refusal of it, if any.
async function preview(gateway: Gateway, service: Service): Promise<Preview> {
  let refusal: Preview['refusal'];
  try {
    await ensureServiceAbsent(gateway, service);
    await createService(gateway, service, { dryRun: true });
  } catch (error) {
    if (!(error instanceof ServiceRefused)) throw error;
    refusal = { message: error.message, hint: error.hint };
  }
  const { previewLookups } = await import('../cluster/preview-lookups.js');
  const trace = analyze(previewSnapshot(service, await previewLookups(gateway, service)));
  return refusal ? { trace, refusal } : { trace };
}

async function wizard(plan: Plan, request: ExposeRequest, open: OpenChoice[], connection: Connection, terminal: Terminal, stdin?: NodeJS.ReadStream): Promise<WizardOutcome> {
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
    stdin,
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
