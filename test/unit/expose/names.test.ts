// Service and Service port names: DNS-1035 labels, derived from container port names and unique.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dns1035Problem, toDns1035, uniqueName } from '../../../src/expose/names.js';
import { mappingFor, namedServicePorts, type ContainerPortCandidate } from '../../../src/expose/ports.js';

describe('DNS-1035 labels', () => {
  test('what the API server accepts, and why not otherwise', () => {
    assert.equal(dns1035Problem('web-public'), undefined);
    assert.equal(dns1035Problem('web.v2'), 'only lower-case letters, digits and "-" are allowed');
    assert.equal(dns1035Problem('9p'), 'it must start with a letter');
    assert.equal(dns1035Problem('web-'), 'it must end with a letter or a digit');
    assert.equal(dns1035Problem(''), 'it is empty');
  });

  test('a container port name that starts with a digit (legal for container ports) becomes a valid Service port name', () => {
    assert.equal(toDns1035('9p'), 'port-9p');
    assert.equal(toDns1035('HTTP_Admin'), 'http-admin');
    assert.equal(toDns1035('x'.repeat(70)).length, 63);
  });

  test('a taken name gets -2, -3 ..., still within 63 characters', () => {
    assert.equal(uniqueName('metrics', new Set(['metrics'])), 'metrics-2');
    assert.equal(uniqueName('metrics', new Set(['metrics', 'metrics-2'])), 'metrics-3');
    const long = 'a'.repeat(63);
    assert.equal(uniqueName(long, new Set([long])), `${'a'.repeat(61)}-2`);
  });
});

describe('Service port names', () => {
  test('the Service port name is a DNS-1035 label while the targetPort keeps the container port name', () => {
    const candidates: ContainerPortCandidate[] = [
      { container: 'fs', name: '9p', containerPort: 564, protocol: 'TCP' },
      { container: 'fs', containerPort: 8080, protocol: 'TCP' },
    ];
    assert.deepEqual(namedServicePorts(candidates.map((candidate) => mappingFor(candidate, candidates))), [
      { name: 'port-9p', port: 564, targetPort: '9p', protocol: 'TCP' },
      { name: 'tcp-8080', port: 8080, targetPort: 8080, protocol: 'TCP' },
    ]);
  });

  test('a derived name that collides with a declared one is made unique', () => {
    const candidates: ContainerPortCandidate[] = [
      { container: 'app', name: 'tcp-9000', containerPort: 9001, protocol: 'TCP' },
      { container: 'app', containerPort: 9000, protocol: 'TCP' },
    ];
    assert.deepEqual(namedServicePorts(candidates.map((candidate) => mappingFor(candidate, candidates))).map((port) => port.name), ['tcp-9000', 'tcp-9000-2']);
  });
});
