// The etcd members a target offers as services (kind etcd), as probes, canaries and faults reach them.
import { GuardError } from '../../errors.js';
import type { ServiceEndpoint, ServiceKind, Target } from '../types.js';

/** One member's client endpoint. */
export interface EtcdEndpoint {
  name: string;
  host: string;
  clientPort: number;
  url: string;
  namespace?: string;
}

/** The service kind of an etcd member's client port (a kind, not the driver of the same name). */
export const ETCD_SERVICE_KIND: ServiceKind = 'etcd';

/** The target's services that are etcd members' client ports. */
export function listEtcdServices(target: Target): ServiceEndpoint[] {
  return (target.services ?? []).filter((service) => service.kind === ETCD_SERVICE_KIND);
}

/** Every etcd member of the target (services of kind etcd), or only the named one; GuardError when there is none. */
export function listEtcdEndpoints(target: Target, only?: string): EtcdEndpoint[] {
  const services = listEtcdServices(target);
  const chosen = only === undefined ? services : services.filter((service) => service.name === only);
  if (chosen.length === 0) {
    const names = services.map((service) => service.name);
    throw new GuardError(only === undefined ? `target ${target.name} offers no etcd service` : `target ${target.name} has no etcd member ${JSON.stringify(only)}`, { hint: names.length > 0 ? `its etcd members: ${names.join(', ')}` : 'use the etcd target (target: etcd)' });
  }
  return chosen.map(toEndpoint);
}

function toEndpoint(service: ServiceEndpoint): EtcdEndpoint {
  return { name: service.name, host: service.host, clientPort: service.port, url: `http://${service.host}:${service.port}`, ...(service.namespace ? { namespace: service.namespace } : {}) };
}
