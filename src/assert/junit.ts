// AssertionResult → JUnit XML, as CI test reporters read it: one <testsuite> per Service
// (`namespace/name`), one <testcase> per assertion, a <failure> with the reasons when it did not hold.

import type { AssertionOutcome, AssertionResult, ServiceAssertions } from './model.js';
import { escapeXml, escapeXmlAttribute } from './xml.js';

type Attributes = Record<string, string | number>;

const attributes = (values: Attributes): string =>
  Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');

function failureBody(outcome: AssertionOutcome): string {
  return [`expected: ${outcome.expected}`, `actual: ${outcome.actual}`, ...outcome.details].join('\n');
}

function testcase(name: string, classname: string, seconds: number, failure?: { message: string; body: string }): string[] {
  const open = `    <testcase${attributes({ name, classname, time: seconds })}`;
  if (!failure) return [`${open}/>`];
  return [
    `${open}>`,
    `      <failure${attributes({ message: failure.message, type: 'AssertionFailed' })}>${escapeXml(failure.body)}</failure>`,
    '    </testcase>',
  ];
}

function testsuite(service: ServiceAssertions): string[] {
  const failures = service.assertions.filter((outcome) => !outcome.passed).length;
  const classname = `svc-trace.${service.namespace}.${service.name}`;
  const endpoints = service.endpoints ? `${service.endpoints.ready}/${service.endpoints.total} ready` : '<none>';
  return [
    `  <testsuite${attributes({ name: `${service.namespace}/${service.name}`, tests: service.assertions.length, failures, errors: 0, skipped: 0, time: service.elapsedSeconds })}>`,
    '    <properties>',
    `      <property${attributes({ name: 'verdict', value: service.verdict ?? 'not found' })}/>`,
    `      <property${attributes({ name: 'endpoints', value: endpoints })}/>`,
    '    </properties>',
    ...service.assertions.flatMap((outcome) =>
      testcase(outcome.name, classname, service.elapsedSeconds, outcome.passed ? undefined : { message: outcome.reason, body: failureBody(outcome) }),
    ),
    '  </testsuite>',
  ];
}

// -l that selects no Service: one failing case, so that the report shows the failure too.
function emptySelection(result: AssertionResult & { selector: NonNullable<AssertionResult['selector']> }): string[] {
  const { namespace, labelSelector } = result.selector;
  const message = `no Service in namespace ${namespace} matches -l ${labelSelector}`;
  return [
    `  <testsuite${attributes({ name: `${namespace} -l ${labelSelector}`, tests: 1, failures: 1, errors: 0, skipped: 0, time: result.elapsedSeconds })}>`,
    ...testcase(`a Service matches -l ${labelSelector}`, `svc-trace.${namespace}`, result.elapsedSeconds, {
      message,
      body: `${message}\nhint: list them with: kubectl get services -n ${namespace} --show-labels`,
    }),
    '  </testsuite>',
  ];
}

export function renderJunit(result: AssertionResult): string {
  const empty = result.services.length === 0 && result.selector !== undefined;
  const tests = empty ? 1 : result.services.reduce((sum, service) => sum + service.assertions.length, 0);
  const failures = empty ? 1 : result.services.reduce((sum, service) => sum + service.assertions.filter((o) => !o.passed).length, 0);
  const suites = empty ? emptySelection(result as Parameters<typeof emptySelection>[0]) : result.services.flatMap(testsuite);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'svc-trace assert', tests, failures, errors: 0, time: result.elapsedSeconds })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
