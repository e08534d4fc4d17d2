// forward's command line: [LOCAL:]PORT and --address, read as kubectl port-forward reads them, and
// each PORT matched against the Service's ports (TCP only).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SvcTraceError } from '../../../src/errors.js';
import {
  checkDistinctLocalPorts,
  formatHostPort,
  matchServicePort,
  parseAddresses,
  parsePortSpec,
} from '../../../src/forward/port-spec.js';
import { loadFixture } from './fixtures.js';

const usage = (pattern: RegExp) => (error: unknown) => error instanceof SvcTraceError && error.exitCode === 2 && pattern.test(error.message);

describe('[LOCAL:]PORT', () => {
  test('a bare port listens on the same number; a name listens on the Service port number', () => {
    const web = loadFixture('healthy-web').service;
    assert.equal(matchServicePort(web, parsePortSpec('80')).local, 80);
    const named = matchServicePort(web, parsePortSpec('http'));
    assert.equal(named.servicePort.port, 80);
    assert.equal(named.local, 80);
  });

  test('LOCAL:PORT listens on LOCAL; :PORT and 0:PORT ask for a free local port', () => {
    assert.deepEqual(parsePortSpec('9000:http'), { text: '9000:http', local: 9000, service: 'http' });
    assert.equal(parsePortSpec(':80').local, 0);
    assert.equal(parsePortSpec('0:80').local, 0);
  });

  test('malformed ports are usage errors that say what is wrong', () => {
    assert.throws(() => parsePortSpec('1:2:3'), usage(/too many colons/));
    assert.throws(() => parsePortSpec('70000'), usage(/not a port number/));
    assert.throws(() => parsePortSpec('abc:80'), usage(/local port "abc"/));
    assert.throws(() => parsePortSpec('Http'), usage(/neither a port number nor a port name/));
  });

  test('a port the Service does not have names the ports it has', () => {
    const web = loadFixture('healthy-web').service;
    assert.throws(() => matchServicePort(web, parsePortSpec('8080')), (error: unknown) => {
      assert.ok(error instanceof SvcTraceError);
      assert.equal(error.message, 'service "web" has no port 8080');
      assert.equal(error.hint, 'its ports are: http 80/TCP, metrics 9090/TCP');
      return true;
    });
  });

  test('UDP ports are refused: the port-forward API carries TCP only', () => {
    const dns = loadFixture('dns-udp-and-tcp').service;
    assert.throws(() => matchServicePort(dns, parsePortSpec('dns')), usage(/port dns 53\/UDP of service "dns-cache" is UDP: the Kubernetes port-forward API carries TCP only/));
  });

  test('a number that is a Service port for UDP and TCP means the TCP one', () => {
    const dns = loadFixture('dns-udp-and-tcp').service;
    assert.equal(matchServicePort(dns, parsePortSpec('53')).servicePort.name, 'dns-tcp');
  });

  test('two ports on one local port are refused before anything listens', () => {
    const web = loadFixture('healthy-web').service;
    const ports = [matchServicePort(web, parsePortSpec('8080:http')), matchServicePort(web, parsePortSpec('8080:metrics'))];
    assert.throws(() => checkDistinctLocalPorts(ports), usage(/both listen on local port 8080/));
    // Free ports never clash.
    checkDistinctLocalPorts([matchServicePort(web, parsePortSpec(':http')), matchServicePort(web, parsePortSpec(':metrics'))]);
  });
});

describe('--address', () => {
  test('localhost (the default) is 127.0.0.1 and ::1', () => {
    assert.deepEqual(parseAddresses(undefined), [
      { address: '127.0.0.1', loopbackAlias: true },
      { address: '::1', loopbackAlias: true },
    ]);
  });

  test('a comma list of IP addresses, brackets allowed, duplicates once', () => {
    assert.deepEqual(parseAddresses('0.0.0.0,[::],0.0.0.0').map((a) => a.address), ['0.0.0.0', '::']);
  });

  test('a host name is refused: only IP addresses or localhost', () => {
    assert.throws(() => parseAddresses('example.com'), usage(/--address "example.com" is not an IP address or localhost/));
  });

  test('IPv6 addresses are written in brackets', () => {
    assert.equal(formatHostPort('::1', 8080), '[::1]:8080');
    assert.equal(formatHostPort('127.0.0.1', 8080), '127.0.0.1:8080');
  });
});
