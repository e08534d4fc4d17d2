// The JUnit report, read back the way a CI test reporter reads it: parsed (fast-xml-parser), never
// compared as a string. One <testsuite> per Service, one <testcase> per assertion, a <failure> with
// the reasons; anything a Service, a pod or a finding can say is escaped so the report still parses.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { analyze } from '../../../src/analyze/trace.js';
import { parseAssertions, portOf, type AssertionFlags } from '../../../src/assert/assertions.js';
import { evaluateMissingService, evaluateService } from '../../../src/assert/evaluate.js';
import { renderJunit } from '../../../src/assert/junit.js';
import type { AssertionResult, ServiceEvaluation } from '../../../src/assert/model.js';
import { assertionResult } from '../../../src/assert/result.js';
import { escapeXml, escapeXmlAttribute } from '../../../src/assert/xml.js';
import { notFoundError } from '../../../src/errors.js';
import { loadFixture, snapshotOf } from '../../support/snapshot.js';

interface Testcase {
  name: string;
  classname: string;
  time: string;
  failure?: { message: string; type: string; '#text'?: string };
}
interface Testsuite {
  name: string;
  tests: string;
  failures: string;
  time: string;
  properties: { property: Array<{ name: string; value: string }> };
  testcase: Testcase[];
}
interface Report {
  testsuites: { name: string; tests: string; failures: string; testsuite?: Testsuite[] };
}

function parse(xml: string): Report {
  const valid = XMLValidator.validate(xml);
  assert.equal(valid, true, `not well-formed XML: ${JSON.stringify(valid)}\n${xml}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    htmlEntities: true, // numeric character references (&#10;) as any XML parser reads them
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml) as Report;
}

function evaluate(fixture: string, flags: AssertionFlags = {}): ServiceEvaluation {
  const assertions = parseAssertions(flags);
  const snapshot = snapshotOf(loadFixture(fixture));
  return evaluateService(snapshot, analyze(snapshot, { port: portOf(assertions) }), assertions);
}

const result = (evaluations: ServiceEvaluation[], extra: Partial<AssertionResult> = {}): AssertionResult => ({
  ...assertionResult(evaluations, { elapsedSeconds: 42.5, timeoutSeconds: 42, timedOut: true, passingSince: new Map([['shop/web', 1.25]]) }),
  ...extra,
});

describe('JUnit report', () => {
  test('one testsuite per Service, one testcase per assertion, failures counted', () => {
    const web = evaluate('healthy-web', { minReady: '2', noErrors: true });
    const api = { ...evaluate('readiness-failing', { minReady: '3', noErrors: true }), name: 'api' };
    const report = parse(renderJunit(result([web, api])));
    assert.equal(report.testsuites.tests, '4');
    assert.equal(report.testsuites.failures, '1');
    const [first, second] = report.testsuites.testsuite!;
    assert.equal(first!.name, 'shop/web');
    assert.equal(first!.tests, '2');
    assert.equal(first!.failures, '0');
    assert.equal(first!.time, '1.25', 'a passing Service: the time until it held');
    assert.deepEqual(first!.testcase.map((c) => [c.name, c.classname, c.failure]), [
      ['min-ready >= 2', 'svc-trace.shop.web', undefined],
      ['no-errors', 'svc-trace.shop.web', undefined],
    ]);
    assert.equal(second!.name, 'shop/api');
    assert.equal(second!.failures, '1');
    assert.equal(second!.time, '42.5', 'a failing Service: the whole wait');
    assert.deepEqual(second!.properties.property, [
      { name: 'verdict', value: 'degraded' },
      { name: 'endpoints', value: '1/3 ready' },
    ]);
  });

  test('a failure carries the reason as message and the not-ready pods with their reasons as text', () => {
    const report = parse(renderJunit(result([evaluate('readiness-failing', { minReady: '3' })])));
    const failure = report.testsuites.testsuite![0]!.testcase[0]!.failure!;
    assert.equal(failure.type, 'AssertionFailed');
    assert.equal(failure.message, '1 of 3 endpoints ready');
    const lines = failure['#text']!.split('\n');
    assert.equal(lines[0], 'expected: 3');
    assert.equal(lines[1], 'actual: 1');
    assert.match(lines[2]!, /^not ready: web-7d9c5b6f4d-7b2nj .*: readiness probe of web failing$/);
    assert.match(lines[3]!, /^not ready: web-7d9c5b6f4d-tl7bw .*: container web CrashLoopBackOff$/);
  });

  test('markup characters in names, reasons and hints survive the round trip', () => {
    const evaluation = evaluateMissingService(
      { namespace: 'shop', name: 'web' },
      notFoundError('service "web" <not> found & gone', "it's \"elsewhere\" — use -n <ns> & retry\tnow"),
      parseAssertions({ minReady: '3', maxNotReady: '0' }),
    );
    const report = parse(renderJunit(result([evaluation])));
    const suite = report.testsuites.testsuite![0]!;
    assert.deepEqual(suite.testcase.map((c) => c.name), ['min-ready >= 3', 'max-not-ready <= 0']);
    assert.equal(suite.testcase[0]!.failure!.message, 'service "web" <not> found & gone');
    assert.match(suite.testcase[0]!.failure!['#text']!, /hint: it's "elsewhere" — use -n <ns> & retry\tnow$/);
    assert.deepEqual(suite.properties.property[0], { name: 'verdict', value: 'not found' });
  });

  test('a multi-line message in an attribute keeps its lines; control characters XML cannot carry are dropped', () => {
    assert.equal(escapeXmlAttribute('a\nb'), 'a&#10;b');
    assert.equal(escapeXml('bell\u0007 and escape\u001b[31m'), 'bell and escape[31m');
    const evaluation = evaluateMissingService({ namespace: 'shop', name: 'web' }, notFoundError('first\nsecond\u0000', 'hint'), parseAssertions({}));
    const failure = parse(renderJunit(result([evaluation]))).testsuites.testsuite![0]!.testcase[0]!.failure!;
    assert.equal(failure.message, 'first\nsecond');
  });

  test('-l that selects no Service: one failing testcase says so, instead of an empty report', () => {
    const report = parse(renderJunit(result([], { selector: { namespace: 'shop', labelSelector: 'tier in (web,api)' } })));
    assert.equal(report.testsuites.tests, '1');
    assert.equal(report.testsuites.failures, '1');
    const suite = report.testsuites.testsuite![0]!;
    assert.equal(suite.name, 'shop -l tier in (web,api)');
    assert.equal(suite.testcase[0]!.name, 'a Service matches -l tier in (web,api)');
    assert.equal(suite.testcase[0]!.failure!.message, 'no Service in namespace shop matches -l tier in (web,api)');
  });
});
