// Pure: the one line of progress a wait shows on stderr — which Services do not hold yet and where
// they stand ("waiting for shop/web: 1/3 ready (min-ready >= 3)"). Printed only when it changes.

import type { ServiceEvaluation } from './model.js';

const readinessNames = /^(min-ready|all-ready|max-not-ready)\b/;

function standing(evaluation: ServiceEvaluation): string {
  if (!evaluation.found) return 'not found yet';
  const failing = evaluation.assertions.find((outcome) => !outcome.passed);
  if (!failing) return 'holds';
  if (evaluation.endpoints && readinessNames.test(failing.name)) {
    return `${evaluation.endpoints.ready}/${evaluation.endpoints.total} ready (${failing.name})`;
  }
  return `${failing.name}: ${failing.reason}`;
}

export function progressLine(evaluations: ServiceEvaluation[], selector?: { namespace: string; labelSelector: string }): string {
  if (evaluations.length === 0 && selector) {
    return `waiting for a Service matching -l ${selector.labelSelector} in namespace ${selector.namespace}`;
  }
  const waiting = evaluations.filter((evaluation) => !evaluation.passed);
  return `waiting for ${waiting.map((evaluation) => `${evaluation.namespace}/${evaluation.name}: ${standing(evaluation)}`).join('; ')}`;
}
