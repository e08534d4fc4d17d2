// Pure: which connections --probe opens — ready endpoints only, each pod's resolved target port,
// at most --probe-limit pods, UDP and SCTP ports skipped with a note — and the flags.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SvcTraceError } from '../../../src/errors.js';
import { parseProbeOptions } from '../../../src/probe/options.js';
import { probeTargets } from '../../../src/probe/targets.js';
import { loadFixture } from '../../support/snapshot.js';

describe('probe targets', () => {
  test('every ready pod on every TCP port, at its resolved target port (a named targetPort resolved by the slice)', () => {
    const web = loadFixture('healthy-web');
    const plan = probeTargets(web.service, web.endpointSlices.items, { limit: 10 });
    assert.deepEqual(
      plan.targets.map((t) => `${t.pod} ${t.servicePort}:${t.port}`),
      ['web-7d9c5b6f4d-7b2nj http:8080', 'web-7d9c5b6f4d-7b2nj metrics:9090', 'web-7d9c5b6f4d-nfh7v http:8080', 'web-7d9c5b6f4d-nfh7v metrics:9090'],
    );
    assert.deepEqual(plan.notProbed, []);
    assert.deepEqual(plan.skipped, []);
  });

  test('--port narrows it; --probe-limit keeps the first pods by name and lists the rest', () => {
    const web = loadFixture('healthy-web');
    const plan = probeTargets(web.service, web.endpointSlices.items, { limit: 1, port: 'metrics' });
    assert.deepEqual(plan.targets, [{ pod: 'web-7d9c5b6f4d-7b2nj', servicePort: 'metrics', port: 9090 }]);
    assert.deepEqual(plan.notProbed, ['web-7d9c5b6f4d-nfh7v']);
  });

  test('not-ready and terminating endpoints are not probed', () => {
    const fixture = loadFixture('readiness-failing');
    const plan = probeTargets(fixture.service, fixture.endpointSlices.items, { limit: 10 });
    const ready = fixture.endpointSlices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false && !e.conditions?.terminating);
    assert.deepEqual([...new Set(plan.targets.map((t) => t.pod))].sort(), ready.map((e) => e.targetRef!.name).sort());
    assert.ok(ready.length < fixture.endpointSlices.items.flatMap((s) => s.endpoints ?? []).length, 'the fixture has a not-ready endpoint');
  });

  test('a UDP port is skipped with a note; its TCP twin is probed', () => {
    const dns = loadFixture('dns-udp-and-tcp');
    const plan = probeTargets(dns.service, dns.endpointSlices.items, { limit: 10 });
    assert.deepEqual(plan.skipped, ['port dns (53/UDP) not probed: port-forward carries TCP only']);
    assert.ok(plan.targets.length > 0 && plan.targets.every((t) => t.servicePort === 'dns-tcp' && t.port === 5353));
  });

  test('no ready endpoint: nothing to probe, and it says so', () => {
    const fixture = loadFixture('no-ready-endpoints');
    const plan = probeTargets(fixture.service, fixture.endpointSlices.items, { limit: 10 });
    assert.deepEqual(plan.targets, []);
    assert.deepEqual(plan.skipped, ['no ready pod endpoint to probe']);
  });
});

describe('--probe flags', () => {
  const usage = (flags: Parameters<typeof parseProbeOptions>[0], message: RegExp) =>
    assert.throws(() => parseProbeOptions(flags), (error: unknown) => error instanceof SvcTraceError && error.exitCode === 2 && message.test(error.message));

  test('defaults: 10 endpoints, 3s each; without --probe, nothing', () => {
    assert.deepEqual(parseProbeOptions({ probe: true }), { limit: 10, timeoutMs: 3000 });
    assert.deepEqual(parseProbeOptions({ probe: true, probeLimit: '3', probeTimeout: '500ms' }), { limit: 3, timeoutMs: 500 });
    assert.equal(parseProbeOptions({}), undefined);
  });

  test('bad values and stray limits are usage errors', () => {
    usage({ probe: true, probeLimit: '0' }, /--probe-limit: not a whole number of 1 or more/);
    usage({ probe: true, probeLimit: 'ten' }, /--probe-limit/);
    usage({ probe: true, probeTimeout: '0' }, /--probe-timeout must be longer than 0/);
    usage({ probe: true, probeTimeout: 'soon' }, /invalid value "soon" for --probe-timeout/);
    usage({ probeLimit: '3' }, /^--probe-limit needs --probe$/);
  });
});
