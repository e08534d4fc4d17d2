// sharedReads: the same GET or LIST asked twice while an entry's backends are gathered is sent once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Gateway } from '../../../src/cluster/gateway.js';
import { sharedReads } from '../../../src/cluster/shared-reads.js';

test('a repeated GET or LIST reaches the gateway once; another query, path or Accept is its own request', async () => {
  const sent: string[] = [];
  const fake = {
    requestCount: 0,
    async get(path: string, query?: Record<string, string>, accept?: string) {
      sent.push(`GET ${path} ${JSON.stringify(query ?? {})} ${accept ?? ''}`);
      return { path };
    },
    async list(path: string, query?: Record<string, string>) {
      sent.push(`LIST ${path} ${JSON.stringify(query ?? {})}`);
      return [{ path }];
    },
  } as unknown as Gateway;
  const shared = sharedReads(fake);
  const [a, b] = await Promise.all([shared.get('/api/v1/namespaces/shop'), shared.get('/api/v1/namespaces/shop')]);
  assert.deepEqual(a, b);
  await shared.list('/api/v1/namespaces/shop/events', { fieldSelector: 'type=Warning', limit: '500' });
  await shared.list('/api/v1/namespaces/shop/events', { limit: '500', fieldSelector: 'type=Warning' });
  await shared.list('/api/v1/namespaces/shop/pods', { labelSelector: 'app=web' });
  await shared.list('/api/v1/namespaces/shop/pods', { labelSelector: 'app=api' });
  await shared.get('/api/v1/namespaces/shop', undefined, 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
  assert.deepEqual(sent, [
    'GET /api/v1/namespaces/shop {} ',
    'LIST /api/v1/namespaces/shop/events {"fieldSelector":"type=Warning","limit":"500"}',
    'LIST /api/v1/namespaces/shop/pods {"labelSelector":"app=web"}',
    'LIST /api/v1/namespaces/shop/pods {"labelSelector":"app=api"}',
    'GET /api/v1/namespaces/shop {} application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
  ]);
  assert.equal(shared.requestCount, 0, 'everything else is the gateway\'s own');
});
