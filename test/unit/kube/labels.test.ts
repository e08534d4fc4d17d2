import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { formatLabels, formatSelector, matchesLabels, matchesSelector } from '../../../src/kube/labels.js';

const pod = { app: 'web', tier: 'front', 'pod-template-hash': '7d9c5b6f4d' };

describe('matchesLabels (a Service selector)', () => {
  test('every pair must be among the labels; extra labels do not matter', () => {
    assert.equal(matchesLabels({ app: 'web' }, pod), true);
    assert.equal(matchesLabels({ app: 'web', tier: 'front' }, pod), true);
  });

  test('one differing value or one missing key is no match', () => {
    assert.equal(matchesLabels({ app: 'web', tier: 'frontend' }, pod), false);
    assert.equal(matchesLabels({ app: 'web', version: 'v2' }, pod), false);
    assert.equal(matchesLabels({ app: 'web' }, undefined), false);
  });

  test('values are compared exactly: no prefix, no case folding', () => {
    assert.equal(matchesLabels({ app: 'we' }, pod), false);
    assert.equal(matchesLabels({ app: 'Web' }, pod), false);
  });
});

describe('matchesSelector (metav1.LabelSelector)', () => {
  test('an empty selector selects everything, even a pod without labels', () => {
    assert.equal(matchesSelector({}, pod), true);
    assert.equal(matchesSelector({}, undefined), true);
  });

  test('matchLabels and matchExpressions are ANDed', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['front', 'edge'] }] };
    assert.equal(matchesSelector(selector, pod), true);
    assert.equal(matchesSelector(selector, { ...pod, tier: 'back' }), false);
    assert.equal(matchesSelector(selector, { ...pod, app: 'api' }), false);
  });

  test('In needs the key; NotIn admits a missing key', () => {
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, pod), false);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, pod), true);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, pod), false);
  });

  test('Exists and DoesNotExist look at the key only', () => {
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, pod), true);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, pod), false);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, pod), true);
  });
});

describe('formatting', () => {
  test('formatLabels writes a selector as kubectl and the labelSelector parameter take it', () => {
    assert.equal(formatLabels({ app: 'web', tier: 'frontend' }), 'app=web,tier=frontend');
    assert.equal(formatLabels({}), '<none>');
    assert.equal(formatLabels(undefined), '<none>');
  });

  test('formatSelector writes every kind of requirement', () => {
    assert.equal(
      formatSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['front', 'edge'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
      'app=web,tier in (front,edge),env notin (dev),team,!legacy',
    );
    assert.equal(formatSelector({}), '<all>');
  });
});

describe('label keys named like JavaScript built-ins', () => {
  // A label key may be any qualified name, `constructor` and `toString` included: only the pod's own
  // labels count, never what every JavaScript object inherits.
  test('a pod without the label does not have it: Exists is false, DoesNotExist is true', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      assert.equal(matchesSelector({ matchExpressions: [{ key, operator: 'Exists' }] }, pod), false, `${key} Exists`);
      assert.equal(matchesSelector({ matchExpressions: [{ key, operator: 'DoesNotExist' }] }, pod), true, `${key} DoesNotExist`);
      assert.equal(matchesSelector({ matchExpressions: [{ key, operator: 'NotIn', values: ['x'] }] }, pod), true, `${key} NotIn`);
      assert.equal(matchesSelector({ matchExpressions: [{ key, operator: 'In', values: ['x'] }] }, pod), false, `${key} In`);
    }
  });

  test('near: a pod that does carry such a label has it', () => {
    const labelled = { ...pod, constructor: 'x', toString: 'y' };
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, labelled), true);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'toString', operator: 'In', values: ['y'] }] }, labelled), true);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'toString', operator: 'DoesNotExist' }] }, labelled), false);
    assert.equal(matchesLabels({ constructor: 'x' }, labelled), true);
  });
});
