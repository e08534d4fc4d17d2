// Pure: the assertions against one Service's trace. Every outcome says what was expected, what is,
// and — when it does not hold — why: the endpoints that are not ready and their pods' reasons,
// the error findings with their hints. Never just "failed".

import type { Finding, Trace } from '../analyze/model.js';
import type { Snapshot } from '../snapshot.js';
import { assertionName, portOf } from './assertions.js';
import type { Assertion, AssertionOutcome, ServiceEvaluation } from './model.js';
import { readinessOf, servicePortOf, type Readiness } from './readiness.js';

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

// Findings that explain why endpoints are missing altogether, worth showing next to a readiness failure.
const readinessCauses = new Set(['selector-matches-no-pods', 'no-selector-no-endpoints', 'port-not-found', 'target-port-missing']);

function findingLines(findings: Finding[]): string[] {
  return findings.flatMap((finding) => [`${finding.id}: ${finding.message}`, `  hint: ${finding.hint}`]);
}

export function expectedOf(assertion: Assertion): number | string {
  switch (assertion.kind) {
    case 'port':
      return assertion.port;
    case 'type':
      return assertion.type;
    case 'min-ready':
    case 'max-not-ready':
      return assertion.count;
    case 'all-ready':
      return 'all endpoints ready';
    case 'no-errors':
      return 0;
    case 'probe':
      return 'every probed endpoint accepts a connection';
  }
}

function outcome(assertion: Assertion, passed: boolean, actual: number | string, reason: string, details: string[] = []): AssertionOutcome {
  return { name: assertionName(assertion), passed, expected: expectedOf(assertion), actual, reason, details: passed ? [] : details };
}

function readinessOutcome(assertion: Assertion, readiness: Readiness, trace: Trace, port: string | undefined): AssertionOutcome {
  const { ready, notReady, total } = readiness.counts;
  const onPort = port === undefined ? '' : ` on port ${port}`;
  const causes = findingLines(trace.findings.filter((f) => f.level === 'error' && readinessCauses.has(f.id)));
  const notReadyLines = readiness.notReady.map((line) => `not ready: ${line}`);
  const counted = total === 0 ? `no endpoints${onPort}` : `${ready} of ${plural(total, 'endpoint')} ready${onPort}`;
  switch (assertion.kind) {
    case 'min-ready': {
      const short = total < assertion.count ? [`only ${plural(total, 'backend')}${onPort} in all: ${assertion.count} must be ready (scale the workload?)`] : [];
      return outcome(assertion, ready >= assertion.count, ready, counted, [...notReadyLines, ...short, ...causes]);
    }
    case 'all-ready': {
      const passed = total > 0 && notReady === 0;
      const reason = total === 0 ? `no endpoints${onPort}: nothing is ready` : notReady === 0 ? `all ${plural(total, 'endpoint')} ready${onPort}` : `${notReady} of ${plural(total, 'endpoint')} not ready${onPort}`;
      return outcome(assertion, passed, `${ready}/${total} ready`, reason, [...notReadyLines, ...causes]);
    }
    case 'max-not-ready':
      return outcome(assertion, notReady <= assertion.count, notReady, `${notReady} of ${plural(total, 'endpoint')} not ready${onPort}`, [...notReadyLines, ...causes]);
    default:
      throw new Error(`not a readiness assertion: ${assertion.kind}`);
  }
}

function portOutcome(assertion: Extract<Assertion, { kind: 'port' }>, snapshot: Snapshot, trace: Trace, readiness: Readiness): AssertionOutcome {
  const found = servicePortOf(snapshot, assertion.port);
  const ports = (snapshot.service.spec.ports ?? []).map((p) => (p.name ? `${p.name} (${p.port}/${p.protocol ?? 'TCP'})` : `${p.port}/${p.protocol ?? 'TCP'}`));
  if (found && !readiness.portMissing) {
    return outcome(assertion, true, found.name || String(found.port), `the Service has port ${found.name ? `${found.name} (${found.port}/${found.protocol ?? 'TCP'})` : `${found.port}/${found.protocol ?? 'TCP'}`}`);
  }
  const missing = trace.findings.filter((f) => f.id === 'port-not-found');
  return outcome(
    assertion,
    false,
    ports.join(', ') || '<none>',
    `the Service has no port ${assertion.port}`,
    missing.length > 0 ? findingLines(missing) : [`its ports are ${ports.join(', ') || '<none>'}`],
  );
}

function noErrorsOutcome(assertion: Assertion, trace: Trace): AssertionOutcome {
  const errors = trace.findings.filter((f) => f.level === 'error');
  const reason = errors.length === 0 ? `no error-level finding (verdict ${trace.verdict})` : `${plural(errors.length, 'error finding')}: ${errors.map((f) => f.id).join(', ')}`;
  return outcome(assertion, errors.length === 0, errors.length, reason, findingLines(errors));
}

// --probe: what each connection found; the kubelet's words under a refusal.
function probeOutcome(assertion: Assertion, snapshot: Snapshot, trace: Trace): AssertionOutcome {
  const report = snapshot.probe;
  const probes = report?.probes ?? [];
  const forbidden = probes.find((p) => p.outcome === 'forbidden');
  // Not permitted is a note, never a failure (as in the trace); the reason says nothing was probed.
  if (forbidden) return outcome(assertion, true, 'not permitted', `not probed: probe not permitted (it needs get and create on pods/portforward): ${forbidden.message ?? ''}`.trim());
  if (probes.length === 0) return outcome(assertion, true, 'none probed', `nothing probed: ${report?.skipped.join('; ') || 'no ready endpoint'}`);
  const accepted = probes.filter((p) => p.outcome === 'accepted');
  const others = probes.filter((p) => p.outcome !== 'accepted');
  const reason = others.length === 0 ? `${plural(accepted.length, 'connection')} accepted` : `${others.length} of ${plural(probes.length, 'probed connection')} not accepted`;
  const details = [
    ...others.map((p) => `${p.outcome}: pod ${p.pod} port ${p.servicePort} (${p.port})${p.message ? `: ${p.message}` : ''}`),
    ...findingLines(trace.findings.filter((f) => f.id === 'port-not-listening' || f.id === 'port-probe-timeout')),
  ];
  return outcome(assertion, others.length === 0, `${accepted.length}/${probes.length} accepted`, reason, details);
}

// `trace` is the analysis of `snapshot`, with --port when the assertions name a port.
export function evaluateService(snapshot: Snapshot, trace: Trace, assertions: Assertion[]): ServiceEvaluation {
  const port = portOf(assertions);
  const readiness = readinessOf(snapshot, trace, port);
  const outcomes = assertions.map((assertion): AssertionOutcome => {
    switch (assertion.kind) {
      case 'port':
        return portOutcome(assertion, snapshot, trace, readiness);
      case 'type': {
        const actual = trace.service.type;
        const passed = actual === assertion.type;
        return outcome(assertion, passed, actual, passed ? `the Service is of type ${actual}` : `the Service is of type ${actual}, not ${assertion.type}`, [
          `change spec.type to ${assertion.type} (kubectl edit service ${trace.service.name} -n ${trace.service.namespace}), or drop --type`,
        ]);
      }
      case 'no-errors':
        return noErrorsOutcome(assertion, trace);
      case 'probe':
        return probeOutcome(assertion, snapshot, trace);
      default:
        return readinessOutcome(assertion, readiness, trace, port);
    }
  });
  return {
    namespace: trace.service.namespace,
    name: trace.service.name,
    found: true,
    verdict: trace.verdict,
    passed: outcomes.every((o) => o.passed),
    endpoints: readiness.counts,
    assertions: outcomes,
  };
}

// A Service that does not exist (yet): every assertion fails, and says why and what is near.
export function evaluateMissingService(
  target: { namespace: string; name: string },
  error: { message: string; hint: string },
  assertions: Assertion[],
): ServiceEvaluation {
  return {
    namespace: target.namespace,
    name: target.name,
    found: false,
    verdict: null,
    passed: false,
    endpoints: null,
    assertions: assertions.map((assertion) => ({
      name: assertionName(assertion),
      passed: false,
      expected: expectedOf(assertion),
      actual: 'not found',
      reason: error.message,
      details: [`hint: ${error.hint}`],
    })),
  };
}
