// What the service load faults share (seed 003's network and RPC modes against one service port:
// request floods, malformed messages, connection exhaustion, slowloris): picking the target's own
// endpoint (loopback or an address inside a namespace the target owns, never anything else), and the
// load itself, which lives in faultline's own process — bounded in count and time, stopped at its
// deadline, at rollback, or with the process (a crashed runner's sockets close with it).
import { connect, type Socket } from 'node:net';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { isLoopbackAddress, isPrivateSubnet, parseCidr } from '../net/addresses.js';
import { OWNED_NAME } from '../net/namespace.js';
import type { ServiceEndpoint, Target } from '../targets/types.js';
import { sleep } from '../util/clock.js';
import type { FaultState, RollbackResult } from './types.js';

/** Longest a load fault may last. */
export const MAX_LOAD_MS = 120_000;

/** Params every load fault has: the service it aims at and how long the load lasts. */
export const serviceLoadProperties = {
  service: Type.String({ minLength: 1, description: 'The target’s service to load (its `services` name, e.g. m1 for an etcd member’s client port).' }),
  durationMs: Type.Optional(Type.Integer({ minimum: 100, maximum: MAX_LOAD_MS, default: 10_000, description: `How long the load lasts (at most ${MAX_LOAD_MS} ms); it ends by itself then, or at rollback.` })),
};

/** The service a load fault aims at; GuardError unless it is the target's and on loopback or in a namespace the target owns. */
export function resolveLoadEndpoint(target: Target, name: string): ServiceEndpoint {
  const services = target.services ?? [];
  const endpoint = services.find((service) => service.name === name);
  if (!endpoint) throw new GuardError(`fault.service: target ${target.name} has no service ${JSON.stringify(name)}`, { hint: `its services: ${services.map((service) => service.name).join(', ') || 'none'}` });
  if (isLoopbackAddress(endpoint.host)) return endpoint;
  const inOwnNamespace = endpoint.namespace !== undefined && OWNED_NAME.test(endpoint.namespace) && isPrivateSubnet(parseCidr(`${endpoint.host}/30`));
  if (!inOwnNamespace) {
    throw new GuardError(`fault.service: ${name} listens on ${endpoint.host}, neither loopback nor an address in a network namespace the target owns: faultline sends load nowhere else`, { hint: 'run the service on 127.0.0.1 or in a fl-… namespace' });
  }
  return endpoint;
}

/** One line for plans: "m1 10.1.2.11:2379 (netns fl-etcd-…-m1)". */
export function describeEndpoint(endpoint: ServiceEndpoint): string {
  return `${endpoint.name} ${endpoint.host}:${endpoint.port}${endpoint.namespace ? ` (netns ${endpoint.namespace})` : ''}`;
}

/** A running load: its sockets, its counters, and its end. */
export class LoadRun {
  readonly sockets = new Set<Socket>();
  readonly counts = { connections: 0, connected: 0, messages: 0, errors: 0 };
  #stopped = false;
  readonly #timer: NodeJS.Timeout;
  readonly #onStop: (() => void)[] = [];

  constructor(durationMs: number) {
    this.#timer = setTimeout(() => this.stop(), durationMs);
    this.#timer.unref();
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Opens one connection, tracked until it closes; resolves when connected (or undefined on failure or stop). */
  open(endpoint: ServiceEndpoint, timeoutMs = 2000): Promise<Socket | undefined> {
    if (this.#stopped) return Promise.resolve(undefined);
    this.counts.connections += 1;
    return new Promise((resolve) => {
      const socket = connect({ host: endpoint.host, port: endpoint.port });
      this.sockets.add(socket);
      const timer = setTimeout(() => socket.destroy(), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        this.counts.connected += 1;
        resolve(socket);
      });
      socket.on('error', () => {
        this.counts.errors += 1;
      });
      socket.once('close', () => {
        clearTimeout(timer);
        this.sockets.delete(socket);
        resolve(undefined);
      });
      if (this.#stopped) socket.destroy();
    });
  }

  /** Runs `fn` when the load stops (an HTTP agent's sockets to destroy). */
  onStop(fn: () => void): void {
    this.#onStop.push(fn);
  }

  /** Ends the load: every socket destroyed. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const fn of this.#onStop.splice(0)) fn();
    for (const socket of this.sockets) socket.destroy();
  }
}

// Loads in effect in this process, by the fault's state directory.
const loads = new Map<string, LoadRun>();

/** Starts a load for a fault (one per state directory). */
export function startLoad(stateDir: string, durationMs: number, drive: (run: LoadRun) => Promise<void>): LoadRun {
  const run = new LoadRun(durationMs);
  loads.set(stateDir, run);
  void drive(run).catch(() => undefined);
  return run;
}

/** The load a fault started in this process, if any. */
export function getLoad(stateDir: string): LoadRun | undefined {
  return loads.get(stateDir);
}

/** The state a load fault saves: which endpoint, for how long, started by which process. */
export function createLoadState(endpoint: ServiceEndpoint, durationMs: number, extra: FaultState = {}): FaultState {
  return { service: endpoint.name, host: endpoint.host, port: endpoint.port, durationMs, pid: process.pid, ...extra };
}

/** True once the load has made at least one connection (or sent one message): it is in effect. */
export async function verifyLoad(stateDir: string, waitMs = 2000): Promise<boolean> {
  const run = loads.get(stateDir);
  if (!run) return false;
  const deadline = performance.now() + waitMs;
  while (performance.now() < deadline) {
    if (run.counts.connected > 0 || run.counts.messages > 0) return true;
    await sleep(10);
  }
  return false;
}

/** Stops the load and checks every socket is closed; a load of another (crashed) process closed with it. */
export async function rollbackLoad(stateDir: string, state: FaultState): Promise<RollbackResult> {
  const run = loads.get(stateDir);
  if (!run) {
    return { ok: true, detail: state.pid === process.pid ? 'the load had already ended' : `the load lived in faultline process ${String(state.pid)}, which is gone: its sockets closed with it` };
  }
  run.stop();
  const deadline = performance.now() + 2000;
  while (run.sockets.size > 0 && performance.now() < deadline) await sleep(10);
  loads.delete(stateDir);
  const { connections, messages, errors } = run.counts;
  return run.sockets.size === 0
    ? { ok: true, detail: `load stopped: ${connections} connection(s), ${messages} message(s), ${errors} error(s); every socket closed` }
    : { ok: false, detail: `${run.sockets.size} socket(s) still open after stopping the load` };
}
