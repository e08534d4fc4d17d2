// IP addresses and CIDRs (IPv4 and IPv6) as BigInt: parse, and whether a range contains an address.
// Pure.
//
// Hand-written on purpose: node:net's BlockList would be the library, but it matches an IPv4-mapped
// IPv6 address (`::ffff:10.0.0.1`) against IPv4 rules (`10.0.0.0/8`). Kubernetes does not: a
// connection has one IP family, and an ipBlock or pod range of the other family never contains it.
// Here `::ffff:a.b.c.d` is an IPv6 address and only ever inside IPv6 ranges (`::ffff:10.0.0.0/120`).

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export interface Cidr extends IpAddress {
  prefix: number;
}

export function ipInCidr(ip: string, cidr: string): boolean {
  const address = parseIp(ip);
  const range = parseCidr(cidr);
  return address !== undefined && range !== undefined && cidrContains(range, address);
}

// Never across families (see above).
export function cidrContains(range: Cidr, address: IpAddress): boolean {
  if (range.family !== address.family) return false;
  const hostBits = BigInt((range.family === 4 ? 32 : 128) - range.prefix);
  return range.value >> hostBits === address.value >> hostBits;
}

export function parseCidr(text: string): Cidr | undefined {
  const [ip, prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0 || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const address = parseIp(ip);
  const prefix = Number(prefixText);
  if (!address || prefix > (address.family === 4 ? 32 : 128)) return undefined;
  return { ...address, prefix };
}

export function parseIp(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6(trimmed);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(trimmed);
  return value === undefined ? undefined : { family: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let hex = text;
  // An IPv4 tail (::ffff:10.0.0.1) becomes the last two 16-bit groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const tail = parseIpv4(text.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    hex = `${text.slice(0, lastColon + 1)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] === '' ? [] : halves[0].split(':');
  const right = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}
