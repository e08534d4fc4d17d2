// The command line of forward: `[LOCAL:]PORT` arguments and `--address`, as kubectl port-forward
// reads them, and the match of each PORT against the Service's ports.

import { isIP } from 'node:net';
import { usageError } from '../errors.js';
import type { Service, ServicePort } from '../kube/types.js';

export interface PortSpec {
  // As typed, for messages: `8080`, `9000:http`, `:80`.
  text: string;
  // The local port; 0 picks a free one; undefined means "the Service port's number".
  local?: number;
  // The Service port, by number or by name.
  service: number | string;
}

// One Service port to forward, and where to listen for it.
export interface ForwardedPort {
  spec: PortSpec;
  servicePort: ServicePort;
  local: number;
}

const portNumber = /^\d+$/;
// A Service port name is an IANA_SVC_NAME: lower-case letters, digits and '-'.
const portName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function parsePortSpec(text: string): PortSpec {
  const parts = text.split(':');
  if (parts.length > 2) throw badPort(text, 'too many colons');
  const [localText, serviceText] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
  const service = portNumber.test(serviceText) ? Number(serviceText) : serviceText;
  if (typeof service === 'number' && (service < 1 || service > 65535)) throw badPort(text, `${service} is not a port number (1-65535)`);
  if (typeof service === 'string' && !portName.test(service)) throw badPort(text, `"${service}" is neither a port number nor a port name`);
  if (localText === undefined) return { text, service };
  // `:PORT` and `0:PORT` both ask for a free local port.
  if (localText === '') return { text, local: 0, service };
  if (!portNumber.test(localText) || Number(localText) > 65535) throw badPort(text, `local port "${localText}" is not a port number (0-65535)`);
  return { text, local: Number(localText), service };
}

function badPort(text: string, why: string) {
  return usageError(
    `"${text}" is not a port to forward: ${why}`,
    'write [LOCAL:]PORT, where PORT is a port of the Service (number or name) and LOCAL a local port (:PORT or 0:PORT picks a free one)',
  );
}

const describePort = (port: ServicePort) => `${port.name ? `${port.name} ` : ''}${port.port}/${port.protocol ?? 'TCP'}`;

// The Service port that PORT names: a number is the Service's `port` (as kubectl port-forward svc/ reads it).
export function matchServicePort(service: Service, spec: PortSpec): ForwardedPort {
  const ports = service.spec.ports ?? [];
  const matching = ports.filter((p) => (typeof spec.service === 'number' ? p.port === spec.service : p.name === spec.service));
  // One number may be a Service port for UDP and for TCP (DNS): forward means the TCP one.
  const servicePort = matching.find((p) => (p.protocol ?? 'TCP') === 'TCP') ?? matching[0];
  const name = service.metadata.name;
  if (!servicePort) {
    throw usageError(
      `service "${name}" has no port ${typeof spec.service === 'number' ? spec.service : `named "${spec.service}"`}`,
      ports.length === 0 ? `service "${name}" declares no ports` : `its ports are: ${ports.map(describePort).join(', ')}`,
    );
  }
  const protocol = servicePort.protocol ?? 'TCP';
  if (protocol !== 'TCP') {
    throw usageError(
      `port ${describePort(servicePort)} of service "${name}" is ${protocol}: the Kubernetes port-forward API carries TCP only`,
      `reach ${protocol} ports from inside the cluster, e.g. from a debug pod (kubectl debug, kubectl run)`,
    );
  }
  return { spec, servicePort, local: spec.local ?? servicePort.port };
}

// Two ports forwarded from one local port cannot both listen.
export function checkDistinctLocalPorts(ports: ForwardedPort[]): void {
  const seen = new Map<number, string>();
  for (const port of ports) {
    if (port.local === 0) continue;
    const earlier = seen.get(port.local);
    if (earlier !== undefined) {
      throw usageError(
        `"${earlier}" and "${port.spec.text}" both listen on local port ${port.local}`,
        'give each a local port of its own: LOCAL:PORT, or :PORT for a free one',
      );
    }
    seen.set(port.local, port.spec.text);
  }
}

// --address: a comma list of IP addresses or `localhost` (127.0.0.1 and ::1), as kubectl port-forward takes it.
export interface ListenAddress {
  address: string;
  // Part of `localhost`: failing to bind it is a warning when another localhost address works.
  loopbackAlias: boolean;
}

export function parseAddresses(flag: string | undefined): ListenAddress[] {
  const items = (flag ?? 'localhost').split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw badAddress(flag ?? '');
  const addresses: ListenAddress[] = [];
  const add = (address: string, loopbackAlias: boolean) => {
    if (!addresses.some((a) => a.address === address)) addresses.push({ address, loopbackAlias });
  };
  for (const item of items) {
    if (item === 'localhost') {
      add('127.0.0.1', true);
      add('::1', true);
    } else if (isIP(item.replace(/^\[(.*)\]$/, '$1')) !== 0) {
      add(item.replace(/^\[(.*)\]$/, '$1'), false);
    } else {
      throw badAddress(item);
    }
  }
  return addresses;
}

function badAddress(item: string) {
  return usageError(
    `--address "${item}" is not an IP address or localhost`,
    'pass a comma list of IP addresses or localhost, e.g. --address localhost,10.0.0.5 (0.0.0.0 listens on every interface)',
  );
}

// How a listening address is written: 127.0.0.1:8080, [::1]:8080.
export function formatHostPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}
