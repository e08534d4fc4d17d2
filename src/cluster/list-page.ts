// One page of a LIST. A small page (most of a trace's: a few KiB) is parsed whole by JSON.parse
// once it has arrived; a larger one is read as its bytes arrive: each item of `items` is parsed on its own and handed
// to `fields` at once, so that a page of 500 pods never exists whole (neither its text nor its parsed
// objects) — only the fields the caller keeps, item by item. The rest of the page (kind, metadata
// with its continue token) is parsed once at the end.
//
// Hand-written: JSON.parse needs the whole text, and npm's streaming JSON parsers build every value
// in JavaScript, several times slower than JSON.parse; cutting items out of the byte stream only has
// to follow strings and brackets (bytes of multi-byte UTF-8 characters are never quotes or brackets).

import type { Readable } from 'node:stream';
import type { KubeList } from '../kube/types.js';

const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const itemsKey = Buffer.from('items');

// Up to this many bytes a page is parsed whole. The scan below costs 4–7 times the CPU of
// JSON.parse on the same bytes (more in a short-lived process, where it runs unoptimised: 8.5 ms
// against 2.2 ms for a trace's five lists of 40 KiB in all, measured cold); it is there so that
// a page of 500 pods (megabytes) never exists whole. A page of 256 KiB, text and objects, is a
// few MiB for a moment at most.
export const wholePageBytes = 256 * 1024;

// The page, or undefined when the body is not JSON (or ends early). `wholeUpTo` is for tests.
export async function readListPage<T>(stream: Readable, fields: (item: T) => T, wholeUpTo = wholePageBytes): Promise<KubeList<T> | undefined> {
  const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  while (size <= wholeUpTo) {
    const next = await chunks.next();
    if (next.done === true) return parseWhole(head.length === 1 ? head[0]! : Buffer.concat(head), fields);
    head.push(next.value);
    size += next.value.length;
  }
  return scanListPage(resumed(head, chunks), fields);
}

function parseWhole<T>(body: Buffer, fields: (item: T) => T): KubeList<T> | undefined {
  let page: KubeList<T>;
  try {
    page = JSON.parse(body.toString('utf8')) as KubeList<T>;
  } catch {
    return undefined;
  }
  if (page === null || typeof page !== 'object') return undefined;
  return { ...page, items: Array.isArray(page.items) ? page.items.map((one) => fields(one)) : [] };
}

// The chunks already read, then the rest of the stream.
async function* resumed(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncIterable<Buffer> {
  yield* head;
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
}

async function scanListPage<T>(stream: AsyncIterable<Buffer>, fields: (item: T) => T): Promise<KubeList<T> | undefined> {
  const items: T[] = [];
  const envelope: Buffer[] = []; // the page without its items
  let depth = 0;
  let inString = false;
  let escaped = false;
  let inItems = false; // inside the `items` array of the page
  let lastKey: number[] = []; // the last string of the page's own object, e.g. `items`
  let item: Buffer[] = []; // the parts of the item being read, when it spans chunks
  let itemStart = -1; // where the item being read starts in this chunk
  let broken = false;

  const take = (text: Buffer): void => {
    try {
      items.push(fields(JSON.parse(text.toString('utf8')) as T));
    } catch {
      broken = true;
    }
  };

  for await (const chunk of stream) {
    let kept = 0; // envelope bytes of this chunk are kept from here
    for (let index = 0; index < chunk.length; index += 1) {
      const byte = chunk[index]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === backslash) escaped = true;
        else if (byte === quote) inString = false;
        else if (depth === 1 && lastKey.length <= itemsKey.length) lastKey.push(byte);
        continue;
      }
      if (byte === quote) {
        inString = true;
        if (depth === 1) lastKey = [];
      } else if (byte === openBrace || byte === openBracket) {
        depth += 1;
        if (depth === 2 && byte === openBracket && itemsKey.equals(Buffer.from(lastKey))) {
          inItems = true;
          envelope.push(chunk.subarray(kept, index + 1));
        } else if (inItems && depth === 3) {
          itemStart = index;
        }
      } else if (byte === closeBrace || byte === closeBracket) {
        if (inItems && depth === 3) {
          const end = chunk.subarray(itemStart === -1 ? 0 : itemStart, index + 1);
          take(item.length === 0 ? end : Buffer.concat([...item, end]));
          item = [];
          itemStart = -1;
        } else if (inItems && depth === 2) {
          inItems = false;
          kept = index;
        }
        depth -= 1;
      }
    }
    if (!inItems) envelope.push(chunk.subarray(kept));
    else if (depth >= 3) {
      // An item goes on in the next chunk.
      item.push(chunk.subarray(itemStart === -1 ? 0 : itemStart));
      itemStart = -1;
    }
  }
  if (broken || depth !== 0 || inString) return undefined;
  let page: KubeList<T>;
  try {
    page = JSON.parse(Buffer.concat(envelope).toString('utf8')) as KubeList<T>;
  } catch {
    return undefined;
  }
  if (page === null || typeof page !== 'object') return undefined;
  // Items the scan did not find (an `items` key spelled with escapes) are still in the envelope.
  return { ...page, items: Array.isArray(page.items) && page.items.length > 0 ? page.items.map((one) => fields(one)) : items };
}
