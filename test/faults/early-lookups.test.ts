// The lookups every trace of a Service makes whatever the Service turns out to be (its namespace's
// EndpointSlices by the service-name label, Warning events, NetworkPolicies, Ingresses and routes)
// are sent together with the Service, not after its answer; when the Service (or the --from client)
// does not exist, they are abandoned: the command says so and exits at once, whether or not they
// were ever answered (the bounds are generous: a CI gate must end; this is no benchmark).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { errorLines, sandbox, type Sandbox } from '../commands/run.js';
import type { KubeList, Service } from '../../src/kube/types.js';
import { assertBounded, withFault } from './support.js';

let box: Sandbox;
before(async () => {
  box = await sandbox();
});
after(async () => {
  await box.remove();
});

// The lookups of namespace shop that do not depend on the Service, by path.
const early = [
  '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices',
  '/api/v1/namespaces/shop/events',
  '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies',
  '/apis/networking.k8s.io/v1/namespaces/shop/ingresses',
  '/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes',
  '/apis/gateway.networking.k8s.io/v1/namespaces/shop/grpcroutes',
];
const isEarly = (url: URL) => early.includes(url.pathname) || /^\/apis\/[^/]+\/v1\/namespaces\/nowhere\/(endpointslices|events|networkpolicies|ingresses|httproutes|grpcroutes)$/.test(url.pathname);

// shop/web as the healthy scenario's API server answers it.
function answerWeb(response: ServerResponse): void {
  const list = JSON.parse(readFileSync(path.resolve('test/fixtures/apiserver/healthy/services.json'), 'utf8')) as KubeList<Service>;
  const web = list.items.find((s) => s.metadata.namespace === 'shop' && s.metadata.name === 'web');
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ kind: 'Service', apiVersion: 'v1', ...web }));
}

describe('the lookups that do not depend on the Service', () => {
  test('are sent before the Service has answered, and the trace is the same', async () => {
    const seen = new Set<string>();
    let held: (() => void) | undefined;
    let arrivedFirst: string[] = [];
    await withFault(
      box,
      (_request, response, url) => {
        if (isEarly(url)) {
          seen.add(url.pathname);
          if (seen.size === early.length && held) held();
          return false;
        }
        if (url.pathname !== '/api/v1/namespaces/shop/services/web') return false;
        // The Service's answer waits until every early lookup has arrived (or 5s have passed).
        const timer = setTimeout(() => held?.(), 5_000);
        held = () => {
          held = undefined;
          clearTimeout(timer);
          arrivedFirst = [...seen];
          answerWeb(response);
        };
        if (seen.size === early.length) held();
        return true;
      },
      async ({ trace }) => {
        const result = await trace('web');
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^Verdict: {2}ok$/m);
        assert.deepEqual(arrivedFirst.sort(), [...early].sort(), 'the lookups that had arrived when the Service answered');
      },
    );
  });

  for (const [what, args, error] of [
    ['a Service that does not exist', ['ghost'], 'service "ghost" not found in namespace "shop"'],
    ['a namespace that does not exist', ['web', '-n', 'nowhere'], 'namespace "nowhere" not found'],
    ['a --from pod that does not exist', ['web', '--from', 'pod/ghost'], '--from: pod ghost not found in namespace shop'],
  ] as const) {
    test(`${what}: exit 4 with the same message at once, while those lookups are never answered`, async () => {
      await withFault(
        box,
        (_request, _response, url) => isEarly(url), // held: never answered
        async ({ trace }) => {
          const result = await trace(...args);
          assert.equal(result.code, 4, result.stderr);
          assert.equal(result.stdout, '');
          assert.equal(errorLines(result).error, error);
          assert.doesNotMatch(result.stderr, /internal error|Unhandled|abandoned/);
          assertBounded(result, 20);
        },
      );
    });
  }
});
