// The services orchestrate (README, How it works): only src/cluster/ talks to the API server, so no
// file of src/services/ builds a request path (src/cluster/lookups.ts) or calls the gateway's
// request methods itself; they call the src/cluster/ reads named in Kubernetes' words instead.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const directory = path.resolve('src/services');
const requestMethods = ['get', 'list', 'listWithResourceVersion', 'post', 'watch', 'upgradeRequest'];

// What a service file must not do, by line: import the request paths, or call a request method on a gateway.
function requestPathUses(source: string): string[] {
  const problems: string[] = [];
  source.split('\n').forEach((text, index) => {
    const line = text.replace(/\/\/.*$/, ''); // comments may name what they like
    if (/cluster\/lookups(\.js)?['"]/.test(line)) problems.push(`line ${index + 1}: imports src/cluster/lookups: ${text.trim()}`);
    const call = new RegExp(`\\bgateway\\s*(\\)\\s*)?\\??\\.\\s*(${requestMethods.join('|')})\\s*[<(]`, 'i').exec(line);
    if (call) problems.push(`line ${index + 1}: calls gateway.${call[2]} itself: ${text.trim()}`);
    if (/\bpaths\s*\.\s*[a-zA-Z]+\s*\(/.test(line)) problems.push(`line ${index + 1}: builds a request path: ${text.trim()}`);
  });
  return problems;
}

describe('src/services/ imports no request paths', () => {
  test('the scan sees what it looks for', () => {
    assert.equal(requestPathUses("import { paths } from '../cluster/lookups.js';").length, 1);
    assert.equal(requestPathUses("  const { optional } = await import('../cluster/lookups.js');").length, 1);
    assert.equal(requestPathUses('    await gateway.get(paths.named(paths.services(namespace), name));').length, 2);
    assert.equal(requestPathUses('  const pods = await connection.gateway.list<Pod>(podsPath);').length, 1);
    assert.deepEqual(requestPathUses('  const { gateway, namespace } = connection; // gateway.get( in a comment is fine'), []);
    assert.deepEqual(requestPathUses('  if (request.debug) reportRequests(terminal, gateway.requestCount);'), []);
  });

  test('no file of src/services/ builds a request path or calls the gateway itself', async () => {
    const files = (await readdir(directory)).filter((file) => /\.tsx?$/.test(file));
    assert.ok(files.length >= 5, `the services are in ${directory}`);
    const problems: string[] = [];
    for (const file of files) {
      for (const problem of requestPathUses(await readFile(path.join(directory, file), 'utf8'))) problems.push(`src/services/${file} ${problem}`);
    }
    assert.deepEqual(problems, []);
  });
});
