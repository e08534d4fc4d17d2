// readListPage: a LIST page read as its bytes arrive gives the same page as JSON.parse of the whole
// body, whatever the chunks' boundaries, with `fields` applied to every item; a body that is not
// JSON, or that ends early, gives undefined (the gateway says "not JSON"). Both ways of reading: a
// small page parsed whole, and a large one scanned as it arrives (forced here with a limit of 0 bytes).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { readListPage, wholePageBytes } from '../../../src/cluster/list-page.js';

const page = {
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '52001', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NTIwMDF9', remainingItemCount: 3 },
  items: [
    { metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' }, annotations: { note: 'a "quoted" } ] [ { brace', path: 'C:\\temp\\' } }, spec: { containers: [{ name: 'web', ports: [{ containerPort: 8080 }] }] } },
    { metadata: { name: 'café-ünïcode-✓', namespace: 'shop' }, spec: { containers: [] }, status: { phase: 'Running', podIPs: [{ ip: '10.244.0.11' }] } },
    { metadata: { name: 'web-3', namespace: 'shop', labels: { items: '[1,2]' } }, spec: { containers: [{ name: 'web' }] } },
  ],
};

const chunksOf = (text: string, size: number): Buffer[] => {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  return chunks;
};

const names = (item: { metadata: { name: string } }) => ({ metadata: { name: item.metadata.name } });

for (const [how, upTo] of [['parsed whole', wholePageBytes], ['scanned as it arrives', 0]] as const) {
  test(`${how}: every chunk size, down to one byte (items, strings and multi-byte characters cut anywhere), gives the page JSON.parse gives`, async () => {
    for (const text of [JSON.stringify(page), JSON.stringify(page, null, 2)]) {
      for (const size of [1, 2, 3, 7, 64, 100_000]) {
        const read = await readListPage(Readable.from(chunksOf(text, size)), (item) => item, upTo);
        assert.deepEqual(read, JSON.parse(text), `chunks of ${size} bytes`);
      }
    }
  });

  test(`${how}: fields are applied to each item; the metadata (continue token, resourceVersion) is kept`, async () => {
    const read = await readListPage(Readable.from(chunksOf(JSON.stringify(page), 5)), names, upTo);
    assert.deepEqual(read?.items, [{ metadata: { name: 'web-1' } }, { metadata: { name: 'café-ünïcode-✓' } }, { metadata: { name: 'web-3' } }]);
    assert.deepEqual(read?.metadata, page.metadata);
    assert.equal(read?.kind, 'PodList');
  });

  test(`${how}: an empty list, and a list whose items are null, have no items`, async () => {
    assert.deepEqual((await readListPage(Readable.from([Buffer.from('{"kind":"PodList","metadata":{"resourceVersion":"7"},"items":[]}')]), names, upTo))?.items, []);
    assert.deepEqual((await readListPage(Readable.from([Buffer.from('{"kind":"PodList","metadata":{},"items":null}')]), names, upTo))?.items, []);
  });

  test(`${how}: a body that is not JSON, or that ends in the middle, is undefined`, async () => {
    const text = JSON.stringify(page);
    assert.equal(await readListPage(Readable.from([Buffer.from('<html>502 Bad Gateway</html>')]), names, upTo), undefined);
    assert.equal(await readListPage(Readable.from([Buffer.from(text.slice(0, text.length / 2))]), names, upTo), undefined);
    assert.equal(await readListPage(Readable.from([Buffer.from(text.replace('"web-3"', 'web-3'))]), names, upTo), undefined);
  });
}

test('a page larger than the limit is scanned, and gives the page JSON.parse gives', async () => {
  const many = { ...page, items: Array.from({ length: 2_000 }, (_, index) => ({ ...page.items[index % 3]!, metadata: { ...page.items[index % 3]!.metadata, name: `pod-${index}` } })) };
  const text = JSON.stringify(many);
  assert.ok(Buffer.byteLength(text) > wholePageBytes, 'the page is over the limit');
  assert.deepEqual(await readListPage(Readable.from(chunksOf(text, 16_384)), (item) => item), JSON.parse(text));
});
