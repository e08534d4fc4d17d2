// The Service's ports: which ones the trace follows (`--port`) and how they are written.

import type { ServicePort, Service } from '../kube/types.js';
import { raise } from './catalogue.js';
import type { Finding } from './model.js';
import { serviceRef } from './refs.js';

// The port's name, else its number: what `--port` and the output call it.
export function portLabel(port: ServicePort): string {
  return port.name ? port.name : String(port.port);
}

// As `kubectl get service` prints PORT(S): 80/TCP, 80:30080/TCP.
export function formatServicePort(port: ServicePort): string {
  return `${port.port}${port.nodePort ? `:${port.nodePort}` : ''}/${port.protocol ?? 'TCP'}`;
}

export function selectServicePorts(service: Service, portFlag?: string): { ports: ServicePort[]; findings: Finding[] } {
  const all = service.spec.ports ?? [];
  if (portFlag === undefined) return { ports: all, findings: [] };
  const ports = all.filter((p) => p.name === portFlag || String(p.port) === portFlag);
  if (ports.length > 0) return { ports, findings: [] };
  const names = all.map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port)));
  return { ports: [], findings: [raise('port-not-found', { port: portFlag, ports: names }, [serviceRef(service)])] };
}
