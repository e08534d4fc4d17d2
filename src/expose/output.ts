// The Service as -o prints it (and as the wizard previews it): yaml, json, or kubectl's `service/NAME`.

import type { Service } from '../kube/types.js';
import { renderJson, renderYaml } from '../render/data.js';
import type { ServiceOutput } from './request.js';

export function renderService(service: Service, output: ServiceOutput): string {
  if (output === 'name') return `service/${service.metadata.name}\n`;
  return output === 'json' ? renderJson(service) : renderYaml(service);
}

// kubectl hides managedFields unless asked; so does expose.
export function withoutManagedFields(service: Service): Service {
  const { managedFields: _managedFields, ...metadata } = service.metadata as Service['metadata'] & { managedFields?: unknown };
  return { ...service, metadata };
}
