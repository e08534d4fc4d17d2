// IP addresses and CIDRs: which address a range contains, across IPv4 and IPv6.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { ipInCidr } from '../../../src/kube/ip.js';

describe('ipInCidr', () => {
  const cases: Array<[string, string, boolean]> = [
    ['10.244.1.12', '10.244.0.0/16', true],
    ['10.245.0.1', '10.244.0.0/16', false],
    ['10.244.1.12', '10.244.1.12/32', true],
    ['10.244.1.13', '10.244.1.12/32', false],
    ['192.168.7.9', '0.0.0.0/0', true],
    ['10.244.1.12', '10.244.1.0/255', false],
    ['fd00:10:244:1::c', 'fd00:10:244::/48', true],
    ['fd00:10:245::1', 'fd00:10:244::/48', false],
    ['2001:db8::1', '::/0', true],
    ['::1', '::1/128', true],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.0/120', true],
    ['10.0.0.1', '::ffff:10.0.0.0/120', false],
    // An IPv4-mapped IPv6 address is IPv6: never inside an IPv4 range (net.BlockList would say it is).
    ['::ffff:10.0.0.1', '10.0.0.0/8', false],
    ['::ffff:192.168.7.9', '0.0.0.0/0', false],
    ['fd00:10:244:1::c', '10.0.0.0/8', false],
    ['2001:db8:0:0:0:0:0:1', '2001:db8::/127', true],
    ['2001:db8::1::2', '2001:db8::/32', false],
    ['300.0.0.1', '0.0.0.0/0', false],
  ];
  for (const [ip, cidr, expected] of cases) {
    test(`${ip} in ${cidr}: ${expected}`, () => assert.equal(ipInCidr(ip, cidr), expected));
  }
});
