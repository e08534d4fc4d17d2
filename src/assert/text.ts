// AssertionResult → text for CI logs: per Service each assertion, ok or fail, with the reasons
// under a failure, and one last line that says PASSED or FAILED.

import { makeStyle, verdictFormat, type Style } from '../render/style.js';
import type { AssertionResult, ServiceAssertions } from './model.js';

export interface AssertTextOptions {
  color: boolean;
}

// 43ms, 2.5s, 90s → 1m30s: close to how Go prints durations (without zero units).
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${Math.round(seconds * 10) / 10}s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return `${minutes}m${whole % 60 === 0 ? '' : `${whole % 60}s`}`;
}

function serviceLines(service: ServiceAssertions, style: Style): string[] {
  const state = service.verdict ? style.paint(verdictFormat[service.verdict], service.verdict) : style.paint('red', 'not found');
  const ready = service.endpoints ? `  ${service.endpoints.ready}/${service.endpoints.total} endpoints ready` : '';
  const width = Math.max(...service.assertions.map((outcome) => outcome.name.length));
  const lines = [`${service.namespace}/${service.name}  ${state}${ready}`];
  for (const outcome of service.assertions) {
    const status = outcome.passed ? style.paint('green', 'ok  ') : style.paint('red', 'fail');
    lines.push(`  ${status}  ${outcome.name.padEnd(width)}  ${outcome.reason}`);
    for (const detail of outcome.details) lines.push(`${' '.repeat(width + 10)}${detail}`);
  }
  return lines;
}

function summary(result: AssertionResult, style: Style): string {
  const after = formatSeconds(result.timedOut ? result.timeoutSeconds : result.elapsedSeconds);
  if (result.services.length === 0) {
    const selector = result.selector ? ` matches -l ${result.selector.labelSelector} in namespace ${result.selector.namespace}` : '';
    return `${style.paint('red', 'FAILED')}: no Service${selector}${result.timedOut ? ` (timed out after ${after})` : ''}`;
  }
  const count = result.services.length;
  if (result.passed) {
    return `${style.paint('green', 'PASSED')}: every assertion holds for ${count === 1 ? 'the Service' : `all ${count} Services`} (after ${after})`;
  }
  const failed = result.services.filter((service) => !service.passed).length;
  return `${style.paint('red', 'FAILED')}: ${failed} of ${count} Service${count === 1 ? '' : 's'} did not meet the assertions (${result.timedOut ? 'timed out' : 'checked once'} after ${after})`;
}

export function renderAssertText(result: AssertionResult, options: AssertTextOptions): string {
  const style = makeStyle(options.color);
  const blocks = result.services.map((service) => serviceLines(service, style).join('\n'));
  return `${[...blocks, summary(result, style)].join('\n\n')}\n`;
}
