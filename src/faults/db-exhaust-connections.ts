// Fault: hold N connections to the target's PostgreSQL, up to every slot a non-superuser may take (the
// web-app failure matrix's "connection pool exhausted"): new connections of the application are then
// refused with 53300 too_many_connections. The superuser-reserved slots are always left free, so an
// operator — and this fault's own rollback from another process — can still connect. The connections
// live in faultline's process and close with it; each carries a marked application_name, by which
// rollback (or `faultline recover` after a crash) finds, terminates and counts any left on the server.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Type } from '@sinclair/typebox';
import { GuardError, getErrorMessage } from '../errors.js';
import { describeService, findService } from '../targets/services/find-service.js';
import { classifyPostgresError, closePostgres, connectPostgres } from '../targets/services/postgres-client.js';
import type { ServiceEndpoint } from '../targets/types.js';
import { sleep } from '../util/clock.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

/** Hard cap on connections one fault holds, whatever max_connections says. */
export const MAX_HELD_CONNECTIONS = 2000;
const CONNECT_TIMEOUT_MS = 5000;
const OPEN_BATCH = 8;

// Held connections per fault (by state dir): they exist only in the process that injected.
const held = new Map<string, { clients: pg.Client[]; timer: NodeJS.Timeout; topUp?: NodeJS.Timeout }>();
/** How often a full hold takes the slots others free (an application's pool closing idle connections). */
const TOP_UP_MS = 100;
// How long inject waits for evicted sessions to leave their slots, and how often it looks.
const EVICT_WAIT_MS = 3000;
const EVICT_POLL_MS = 10;

export default defineFault({
  type: 'db.exhaust-connections',
  needs: ['services'],
  summary: 'holds connections to a postgres service up to its limit for non-superusers (superuser-reserved slots stay free)',
  params: defineFaultParams('db.exhaust-connections', {
    service: Type.Optional(Type.String({ minLength: 1, description: 'The postgres service (target.services[].name); default: the target’s only one.' })),
    connections: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HELD_CONNECTIONS, description: 'Connections to hold; default (and at most): every slot left for non-superusers (max_connections − superuser_reserved_connections − those in use).' })),
    durationMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000, default: 30_000, description: 'The connections are closed after this long (or at rollback, if sooner).' })),
    evictUser: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'Once the slots are held, terminate the sessions of this role (the application’s pool), so it must reconnect into a full server. Needs superuser or pg_signal_backend; the application reconnects by itself afterwards.' })),
  }, 'Exhaust a database’s connections.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    const service = findService(target, 'postgres', params.service, 'fault.service');
    const count = params.connections === undefined ? 'every free non-superuser slot' : `up to ${params.connections} connections`;
    return {
      touches: [
        `open ${count} to ${describeService(service)} as ${service.user ?? 'postgres'} and hold them for ${params.durationMs ?? 30_000} ms`,
        ...(params.evictUser ? [`terminate the sessions of role ${params.evictUser} once the slots are held`] : []),
      ],
      guards: [
        'only a postgres service the target declares',
        'the superuser_reserved_connections slots are never taken; at most ' + MAX_HELD_CONNECTIONS + ' connections',
        'connections close with faultline; rollback terminates any marked as this fault’s that are still on the server, and counts them gone',
      ],
    };
  },
  async prepare(params, { target }) {
    const service = findService(target, 'postgres', params.service, 'fault.service');
    const limits = await readSlots(service);
    const wanted = Math.min(params.connections ?? limits.free, limits.free, MAX_HELD_CONNECTIONS);
    if (wanted <= 0) throw new GuardError(`fault.connections: ${describeService(service)} has no free slot (${limits.inUse} in use of ${limits.max}, ${limits.reserved} reserved for superusers)`);
    return {
      service: service.name, application: `faultline-exhaust-${randomBytes(6).toString('hex')}`, connections: wanted, fill: params.connections === undefined,
      durationMs: params.durationMs ?? 30_000, limits,
    };
  },
  async inject(params, { target, stateDir }, state) {
    const service = findService(target, 'postgres', String(state.service), 'fault.service');
    const clients: pg.Client[] = [];
    const entry: { clients: pg.Client[]; timer: NodeJS.Timeout; topUp?: NodeJS.Timeout } = { clients, timer: setTimeout(() => void release(stateDir), Number(state.durationMs)) };
    entry.timer.unref();
    held.set(stateDir, entry);
    const open = async (wanted: number, batchSize = OPEN_BATCH) => {
      let refused: string | undefined;
      while (clients.length < wanted && refused === undefined && held.get(stateDir) === entry) {
        const batch = Math.min(batchSize, wanted - clients.length);
        const opened = await Promise.allSettled(Array.from({ length: batch }, () => connectPostgres(service, { timeoutMs: CONNECT_TIMEOUT_MS, applicationName: String(state.application) })));
        for (const result of opened) {
          // Released while it connected: closed at once, never held past the fault.
          if (result.status === 'fulfilled') held.get(stateDir) === entry ? clients.push(result.value) : void closePostgres(result.value);
          else refused ??= classifyPostgresError(result.reason).errorClass;
        }
      }
      return refused;
    };
    const refused = await open(Number(state.connections));
    // Others took slots meanwhile: fewer held is still a full server; none held is no fault at all.
    if (clients.length === 0) throw new Error(`db.exhaust-connections: no connection to ${describeService(service)} could be opened (${refused ?? 'no reason given'})`);
    if (params.evictUser) await evict(clients[0]!, params.evictUser);
    if (state.fill === true) {
      // Every slot, as long as the fault lasts: one freed by anyone (an evicted session, a pool closing an idle
      // connection) is taken at once, so the server stays full; the application may still win a race for one.
      // Counted first through a held connection, so a superuser's hold never reaches into the reserved slots.
      const topUp = async (batchSize: number) => {
        const { free } = await readSlotsWith(clients[0]!, 0);
        if (free > 0) await open(Math.min(clients.length + free, MAX_HELD_CONNECTIONS), batchSize);
      };
      let topping = false;
      entry.topUp = setInterval(() => {
        if (topping || held.get(stateDir) !== entry || clients.length === 0) return;
        topping = true;
        void topUp(1).catch(() => undefined).finally(() => (topping = false));
      }, TOP_UP_MS);
      entry.topUp.unref();
      await topUp(OPEN_BATCH);
    }
  },
  async verify(_params, { target, stateDir }, state) {
    const entry = held.get(stateDir);
    const probe = entry?.clients[0];
    if (!probe) return false;
    try {
      // Our sessions are on the server (asked through a held connection: a new one may find no slot)...
      if ((await countMarkedWith(probe, String(state.application))) < entry.clients.length - 1) return false;
      if (state.fill !== true) return true;
      // ...and a new connection of the service's user is refused for want of a slot: what the application meets.
      const service = findService(target, 'postgres', String(state.service), 'fault.service');
      const fresh = await connectPostgres(service, { timeoutMs: CONNECT_TIMEOUT_MS, applicationName: 'faultline-fault' }).catch((error: unknown) => error);
      if (fresh instanceof pg.Client) {
        // A superuser gets in through the reserved slots: then the server's own count, which it sees whole, decides.
        try {
          const superuser = (await fresh.query<{ superuser: string }>("SELECT current_setting('is_superuser') AS superuser")).rows[0]?.superuser === 'on';
          return superuser && (await readSlotsWith(fresh, 1)).free <= 0;
        } finally {
          await closePostgres(fresh);
        }
      }
      return classifyPostgresError(fresh).errorClass.startsWith('53300');
    } catch {
      return false;
    }
  },
  async rollback(_params, { target, stateDir }, state) {
    await release(stateDir);
    const service = findService(target, 'postgres', String(state.service), 'fault.service');
    const application = String(state.application);
    // Closed client-side above (or by faultline's death); the server notices within moments. Any session still
    // marked as ours (a connect that completed as we closed) is terminated, then the count must reach zero.
    const deadline = performance.now() + 10_000;
    for (;;) {
      let left: number;
      try {
        left = await countMarked(service, application, true);
      } catch (error) {
        return { ok: false, detail: `could not count this fault's sessions on ${describeService(service)}: ${getErrorMessage(error)}` };
      }
      if (left === 0) return { ok: true, detail: `released ${state.connections} held connections to ${service.name}; none of its sessions left on the server` };
      if (performance.now() > deadline) return { ok: false, detail: `${left} sessions named ${application} still on ${describeService(service)}` };
      await sleep(100);
    }
  },
});

// Closes the connections this process holds for one fault (idempotent).
async function release(stateDir: string): Promise<void> {
  const entry = held.get(stateDir);
  if (!entry) return;
  held.delete(stateDir);
  clearTimeout(entry.timer);
  clearInterval(entry.topUp);
  await Promise.all(entry.clients.map(closePostgres));
}

/** The server's connection slots: its limit, the superuser reserve, those in use, and those a non-superuser may still take. */
async function readSlots(service: ServiceEndpoint): Promise<{ max: number; reserved: number; inUse: number; free: number }> {
  const client = await connectPostgres(service, { timeoutMs: CONNECT_TIMEOUT_MS, applicationName: 'faultline-fault' });
  try {
    // This very connection is counted in use, and is closed before the fault takes the slots.
    return await readSlotsWith(client, 1);
  } finally {
    await closePostgres(client);
  }
}

async function readSlotsWith(client: pg.Client, own: number): Promise<{ max: number; reserved: number; inUse: number; free: number }> {
  const { rows } = await client.query<{ max: string; reserved: string; in_use: string }>(
    "SELECT current_setting('max_connections') AS max, current_setting('superuser_reserved_connections') AS reserved, (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS in_use",
  );
  const max = Number(rows[0]!.max);
  const reserved = Number(rows[0]!.reserved);
  const inUse = Math.max(0, Number(rows[0]!.in_use) - own);
  return { max, reserved, inUse, free: Math.max(0, max - reserved - inUse) };
}

/** Sessions on the server named `application`, ended first with `terminate` (a new connection: after release there are free slots). */
async function countMarked(service: ServiceEndpoint, application: string, terminate = false): Promise<number> {
  const client = await connectPostgres(service, { timeoutMs: CONNECT_TIMEOUT_MS, applicationName: 'faultline-fault' });
  try {
    if (terminate) await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [application]);
    return await countMarkedWith(client, application);
  } finally {
    await closePostgres(client);
  }
}

async function countMarkedWith(client: pg.Client, application: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [application]);
  return Number(rows[0]!.n);
}

// Ends the role's sessions (never faultline's own) through a held connection: a new one would find no slot.
async function evict(client: pg.Client, role: string): Promise<number> {
  const { rows } = await client.query<{ pid: number }>("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND application_name NOT LIKE 'faultline%' AND backend_type = 'client backend' AND pid <> pg_backend_pid()", [role]);
  // A terminated backend keeps its slot until it has exited: the fault takes the freed slots only
  // once they are free (on a loaded host that took longer than the first top-up).
  const pids = rows.map((row) => row.pid);
  const deadline = performance.now() + EVICT_WAIT_MS;
  while (pids.length > 0 && performance.now() < deadline) {
    const left = await client.query<{ count: string }>('SELECT count(*) AS count FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
    if (Number(left.rows[0]?.count ?? 0) === 0) break;
    await sleep(EVICT_POLL_MS);
  }
  return rows.length;
}
