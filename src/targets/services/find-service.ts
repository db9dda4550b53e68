// Finds the service a probe, canary or fault names (`service: postgres`) among the target's endpoints.
import { GuardError } from '../../errors.js';
import type { ServiceEndpoint, ServiceKind, Target } from '../types.js';

/**
 * The endpoint named `name` (or, without a name, the target's only one of `kind`); it must speak `kind`.
 * Throws a GuardError naming the services the target has, so a typo is fixed from the message alone.
 */
export function findService(target: Target, kind: ServiceKind, name: string | undefined, field: string): ServiceEndpoint {
  const services = target.services ?? [];
  const listed = services.map((service) => `${service.name} (${service.kind})`).join(', ') || 'none';
  if (name === undefined) {
    const ofKind = services.filter((service) => service.kind === kind);
    if (ofKind.length === 1) return ofKind[0]!;
    throw new GuardError(`${field}: target ${target.name} has ${ofKind.length === 0 ? `no ${kind} service` : `${ofKind.length} ${kind} services`}; name one`, { hint: `its services: ${listed}` });
  }
  const service = services.find((candidate) => candidate.name === name);
  if (!service) throw new GuardError(`${field}: target ${target.name} has no service ${name}`, { hint: `its services: ${listed}` });
  if (service.kind !== kind) throw new GuardError(`${field}: service ${name} of target ${target.name} is ${service.kind}, not ${kind}`, { hint: `its services: ${listed}` });
  return service;
}

/** "postgres at 127.0.0.1:5433" for plans and messages. */
export function describeService(service: ServiceEndpoint): string {
  return `${service.name} at ${service.host}:${service.port}${service.namespace ? ` (netns ${service.namespace})` : ''}`;
}
