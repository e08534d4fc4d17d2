// The expose wizard driven by key presses, at a fixed width of 100 columns (ink-testing-library's
// terminal): what each screen shows, what the keys do, and what the wizard hands back.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { analyze } from '../../../src/analyze/trace.js';
import { buildService } from '../../../src/expose/builder.js';
import { previewSnapshot } from '../../../src/expose/preview.js';
import { openChoices, type OpenChoice } from '../../../src/expose/plan.js';
import { ServiceRefused } from '../../../src/expose/refusals.js';
import { matchesLabels } from '../../../src/kube/labels.js';
import type { KubeList, Pod, Service } from '../../../src/kube/types.js';
import { ExposeWizard, type Preview } from '../../../src/ui/expose-wizard.js';
import { planOf } from './fixtures.js';

const keys = { down: '\u001B[B', up: '\u001B[A', enter: '\r', escape: '\u001B', backspace: '\u007F', space: ' ' };
const pods = (JSON.parse(readFileSync(path.resolve('test/fixtures/expose/apiserver/pods.json'), 'utf8')) as KubeList<Pod>).items;

function previewOf(service: Service, refusal?: Preview['refusal']): Preview {
  const selected = pods.filter((pod) => matchesLabels(service.spec.selector ?? {}, pod.metadata.labels));
  const trace = analyze(
    previewSnapshot(service, {
      pods: selected,
      otherPods: [],
      nodes: { skipped: 'nodes not needed for this Service' },
      networkPolicies: { items: [] },
      client: { kind: 'generic', namespace: 'shop', namespaceLabels: { 'kubernetes.io/metadata.name': 'shop' } },
    }),
  );
  return refusal ? { trace, refusal } : { trace };
}

interface Session {
  frame: () => string;
  // Waits (up to 3 s) until the screen matches; renders and the preview's promise take their time.
  shows: (pattern: RegExp) => Promise<void>;
  press: (...sequence: string[]) => Promise<void>;
  outcome: () => unknown;
  // Waits (up to 3 s) for the wizard to hand back its outcome.
  decided: () => Promise<unknown>;
  prepared: Service[];
}

// Renders the wizard for a workload and flags; `refuse` makes the preview's dry run refuse a name.
function wizardFor(workload: string, flags: Parameters<typeof planOf>[1] = {}, options: { review?: boolean; refuse?: string; steps?: OpenChoice[] } = {}): Session {
  const { plan, request } = planOf(workload, flags);
  const open = openChoices(plan);
  const steps = options.steps ?? (open.length > 0 && !open.includes('name') ? [...open, 'name' as const] : open);
  const prepared: Service[] = [];
  let outcome: unknown;
  const instance = render(
    createElement(ExposeWizard, {
      plan,
      steps,
      review: options.review ?? true,
      build: (choices) => buildService(plan, request, choices),
      prepare: async (service) => {
        prepared.push(service);
        const taken = options.refuse === service.metadata.name;
        return previewOf(service, taken ? new ServiceRefused(`service "${service.metadata.name}" already exists in namespace "shop"; expose never replaces a Service`, 'choose another name with --name') : undefined);
      },
      columns: 100,
      color: false,
      onDone: (result) => (outcome = result),
    }),
  );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 40));
  const frame = () => instance.lastFrame() ?? '';
  return {
    frame,
    shows: async (pattern) => {
      const deadline = Date.now() + 3000;
      while (!pattern.test(frame())) {
        if (Date.now() > deadline) assert.fail(`the screen did not show ${pattern}:\n${frame()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    press: async (...sequence) => {
      for (const key of sequence) {
        instance.stdin.write(key);
        await settle();
      }
    },
    outcome: () => outcome,
    decided: async () => {
      const deadline = Date.now() + 3000;
      while (outcome === undefined) {
        if (Date.now() > deadline) assert.fail(`the wizard handed back nothing; the screen:\n${frame()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return outcome;
    },
    prepared,
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 40));

describe('expose wizard', () => {
  test('a full run: untick a port, choose NodePort, rename, preview, confirm', async () => {
    const wizard = wizardFor('deploy/web');
    await settled();
    await wizard.shows(/expose deployment\/web in namespace shop {2}step 1 of 3: ports/);
    await wizard.shows(/❯ \[x\] http {5}8080\/TCP {3}container web\n {2}\[x\] metrics {2}9090\/TCP {3}container web/);
    await wizard.shows(/Service ports: http 8080\/TCP → http, metrics 9090\/TCP → metrics/);

    await wizard.press(keys.down, keys.space);
    await wizard.shows(/❯ \[ \] metrics/);
    await wizard.shows(/Service ports: http 8080\/TCP → http\n/);

    await wizard.press(keys.enter);
    await wizard.shows(/step 2 of 3: type/);
    await wizard.shows(/❯ ClusterIP {5}reachable inside the cluster only/);
    await wizard.shows(/NodePort {6}on every node's IP at a port in 30000–32767/);
    await wizard.shows(/LoadBalancer {2}through a cloud load balancer/);
    await wizard.shows(/Headless {6}no virtual IP: DNS answers straight with the pods’ IPs/);

    await wizard.press(keys.down, keys.enter);
    await wizard.shows(/step 3 of 3: name\n\nName of the Service: web\n/);

    await wizard.press(...'-public'.split(''), keys.enter);
    await settled();
    await wizard.shows(/Create service shop\/web-public\? \[y\/n\]/);
    const preview = wizard.frame();
    assert.match(preview, /expose deployment\/web in namespace shop {2}preview/);
    assert.match(preview, /│ {3}name: web-public/);
    assert.match(preview, /│ {3}type: NodePort/);
    assert.match(preview, /│ {7}targetPort: http/);
    assert.match(preview, /NodePort shop\/web-public/);
    assert.match(preview, /Would be backed by 2 live pod\(s\):\n {2}web-746449dc89-b22ff on kwok-node-c: http → web:8080\/TCP\n {2}web-746449dc89-zhrkg on kwok-node-b: http → web:8080\/TCP/);
    assert.match(preview, /✔ The API server accepts it \(server-side dry run\)/);
    assert.match(preview, /Create service shop\/web-public\? \[y\/n\]/);
    assert.equal(wizard.outcome(), undefined, 'nothing is decided before y');

    await wizard.press('y');
    const outcome = (await wizard.decided()) as { action: string; service: Service; checked: boolean };
    assert.equal(outcome.action, 'done');
    assert.equal(outcome.checked, true);
    assert.equal(outcome.service, wizard.prepared.at(-1), 'the Service created is the one previewed');
    assert.deepEqual(
      { name: outcome.service.metadata.name, type: outcome.service.spec.type, ports: outcome.service.spec.ports },
      { name: 'web-public', type: 'NodePort', ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] },
    );
    await wizard.shows(/^Creating service shop\/web-public…$/);
  });

  test('enter with no port picked says so and stays', async () => {
    const wizard = wizardFor('deploy/web');
    await wizard.press(keys.space, keys.down, keys.space, keys.enter);
    await wizard.shows(/step 1 of 3: ports/);
    await wizard.shows(/✖ pick at least one port \(space selects\)/);
    await wizard.press('a', keys.enter);
    await wizard.shows(/step 2 of 3: type/);
  });

  test('a name the API server refuses: the refusal is shown, y does nothing, b goes back to change it', async () => {
    const wizard = wizardFor('deploy/web', { port: ['http'], type: 'ClusterIP' }, { refuse: 'web', steps: ['name'] });
    await wizard.press(keys.enter);
    await settled();
    await wizard.shows(/✖ service "web" already exists in namespace "shop"; expose never replaces a Service\n {2}hint: choose another name with --name/);
    assert.doesNotMatch(wizard.frame(), /Create service/);
    await wizard.press('y');
    assert.equal(wizard.outcome(), undefined);
    await wizard.press('b');
    await wizard.shows(/Name of the Service: web\n/);
    await wizard.press('2', keys.enter);
    await settled();
    await wizard.shows(/Create service shop\/web2\? \[y\/n\]/);
    await wizard.press('y');
    assert.equal(((await wizard.decided()) as { service: Service }).service.metadata.name, 'web2');
  });

  test('a name that is no DNS-1035 label is refused in place', async () => {
    const wizard = wizardFor('deploy/web.v2', { type: 'ClusterIP' });
    await settled();
    await wizard.shows(/Name of the Service: web\.v2\n/);
    await wizard.shows(/✖ "web\.v2" is not a valid Service name: only lower-case letters, digits and "-" are allowed/);
    await wizard.press(keys.enter);
    await wizard.shows(/step 1 of 1: name/);
    await wizard.press(keys.backspace, keys.backspace, keys.backspace, '-', 'v', '2', keys.enter);
    await settled();
    await wizard.shows(/Create service shop\/web-v2\? \[y\/n\]/);
  });

  test('esc cancels, and nothing is prepared or created', async () => {
    const wizard = wizardFor('deploy/web');
    await wizard.press(keys.down, keys.escape);
    assert.deepEqual(await wizard.decided(), { action: 'cancel' });
    await wizard.shows(/^Cancelled\.$/);
    assert.equal(wizard.prepared.length, 0);
  });

  test('with every choice given, it only previews and asks; n declines', async () => {
    const wizard = wizardFor('deploy/web', { port: ['http'], type: 'ClusterIP' });
    await settled();
    await wizard.shows(/preview/);
    await wizard.shows(/Create service shop\/web\? \[y\/n\]/);
    await wizard.shows(/y create · n cancel$/);
    await wizard.press('n');
    assert.deepEqual(await wizard.decided(), { action: 'cancel' });
  });

  test('keys that arrive together (a paste, tmux send-keys) are taken one by one', async () => {
    const wizard = wizardFor('deploy/web');
    await wizard.press(`${keys.down} ${keys.up}\r`);
    await wizard.shows(/step 2 of 3: type/);
    await wizard.press(`${keys.down}${keys.down}\r`);
    await wizard.press('-lb\r');
    await settled();
    await wizard.shows(/Create service shop\/web-lb\? \[y\/n\]/);
    const service = wizard.prepared.at(-1)!;
    assert.equal(service.spec.type, 'LoadBalancer');
    assert.deepEqual(service.spec.ports!.map((port) => port.name), ['http']);
  });

  test('for --dry-run (no review) it hands back the Service once the choices are made, unchecked', async () => {
    const wizard = wizardFor('deploy/web', { port: ['http'] }, { review: false });
    await wizard.press(keys.up, keys.enter, keys.enter);
    const outcome = (await wizard.decided()) as { action: string; service: Service; checked: boolean };
    assert.equal(outcome.action, 'done');
    assert.equal(outcome.checked, false);
    assert.equal(outcome.service.spec.clusterIP, 'None', 'up from ClusterIP wraps to Headless');
    assert.equal(wizard.prepared.length, 0, 'nothing is sent to the API server');
  });
});
