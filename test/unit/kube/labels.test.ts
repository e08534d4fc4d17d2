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
