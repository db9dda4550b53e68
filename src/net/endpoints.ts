// Endpoints of network faults: a service the target declares (`service: postgres`, resolved through
// target.services) or an explicit `{ host, port?, namespace? }`. Only loopback addresses in the host's own
// namespace, or addresses inside a namespace the target owns, are ever accepted: faultline never touches
// traffic beyond those.
import { Type, type Static } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';
import { isLoopbackAddress, parseIpv4 } from './addresses.js';
import { listNamespaces, runIp } from './namespace.js';

/** The params schema of one endpoint, shared by every net.* fault. */
export const endpointParams = Type.Union([
  Type.Object({
    service: Type.String({ minLength: 1, description: 'A service the target declares (its `services`), e.g. postgres.' }),
  }, { additionalProperties: false }),
  Type.Object({
    host: Type.Optional(Type.String({ minLength: 1, description: 'IPv4 address: loopback (127.x.y.z) in the host namespace, or the address inside `namespace`. Default: 127.0.0.1, or the namespace\'s eth0 address.' })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535, description: 'TCP port; without one the fault covers every packet to and from the address.' })),
    namespace: Type.Optional(Type.String({ minLength: 1, description: 'A network namespace the target owns (one its services listen in).' })),
  }, { additionalProperties: false }),
], { description: 'A service of the target, or an explicit loopback / namespace address.' });

/** An endpoint as written in a scenario. */
export type EndpointParams = Static<typeof endpointParams>;

/** An endpoint resolved to an address, an optional port and the namespace it lives in (undefined = the host's). */
export interface ResolvedEndpoint {
  host: string;
  port?: number;
  namespace?: string;
  /** How to name it in plans ("postgres (127.0.0.1:5432)"). */
  label: string;
}

/** The namespaces a target owns: those its declared services listen in. */
export function getOwnedNamespaces(target: Target): string[] {
  return [...new Set((target.services ?? []).map((service) => service.namespace).filter((name): name is string => Boolean(name)))];
}

/** Resolves an endpoint against the target, refusing anything but loopback or the target's own namespaces. */
export async function resolveEndpoint(endpoint: EndpointParams, target: Target, field: string): Promise<ResolvedEndpoint> {
  let host: string | undefined;
  let port: number | undefined;
  let namespace: string | undefined;
  let name: string | undefined;
  if ('service' in endpoint) {
    const service = target.services?.find((candidate) => candidate.name === endpoint.service);
    if (!service) {
      const names = (target.services ?? []).map((candidate) => candidate.name);
      throw new GuardError(`${field}.service: target ${target.name} declares no service ${JSON.stringify(endpoint.service)}`, {
        hint: names.length > 0 ? `its services: ${names.join(', ')}` : 'the target declares no services; name an explicit { host, port } on loopback instead',
        final: true,
      });
    }
    ({ host, port, namespace, name } = service);
  } else {
    ({ host, port, namespace } = endpoint);
  }
  if (namespace !== undefined) {
    const owned = getOwnedNamespaces(target);
    if (!owned.includes(namespace)) {
      throw new GuardError(`${field}.namespace: ${namespace} is not a network namespace target ${target.name} owns`, {
        hint: owned.length > 0 ? `its namespaces: ${owned.join(', ')}` : 'the target declares no service in a namespace; faultline only changes traffic on loopback or in the target\'s own namespaces',
        final: true,
      });
    }
    if (!(await listNamespaces()).includes(namespace)) throw new GuardError(`${field}.namespace: namespace ${namespace} does not exist (is the target up?)`);
    host ??= await readNamespaceAddress(namespace);
    if (parseIpv4(host) === undefined) throw new GuardError(`${field}.host: ${JSON.stringify(host)} is not an IPv4 address`, { final: true });
  } else {
    host ??= '127.0.0.1';
    if (!isLoopbackAddress(host)) {
      throw new GuardError(`${field}.host: ${host} is not a loopback address; faultline only changes traffic on loopback or inside the target's own namespaces`, {
        hint: 'use 127.0.0.1 (or another 127.x.y.z), or name a namespace the target owns',
        final: true,
      });
    }
  }
  const address = port === undefined ? host : `${host}:${port}`;
  const where = namespace === undefined ? '' : ` in namespace ${namespace}`;
  return {
    host,
    ...(port === undefined ? {} : { port }),
    ...(namespace === undefined ? {} : { namespace }),
    label: `${name ? `${name} (${address})` : address}${where}`,
  };
}

/** The first IPv4 address of eth0 inside a namespace (the address namespace.ts gives it). */
export async function readNamespaceAddress(namespace: string): Promise<string> {
  const entries = JSON.parse(await runIp(['-n', namespace, '-j', '-4', 'addr', 'show', 'dev', 'eth0'])) as { addr_info?: { local?: string }[] }[];
  const local = entries[0]?.addr_info?.[0]?.local;
  if (!local) throw new GuardError(`namespace ${namespace} has no IPv4 address on eth0`, { hint: 'name the endpoint\'s host explicitly' });
  return local;
}
