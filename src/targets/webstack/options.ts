// Options of a web-stack instance: which guardrails it runs with, and the few sizes and intervals a test may tune.
import { InputError } from '../../errors.js';

/** How a web stack is started. */
export interface WebstackOptions {
  /** Start in this directory (kept on stop unless `ownsDir`); default a fresh temp dir that stop removes. */
  dir?: string;
  /** faultline chose and recorded `dir`: stop removes it. */
  ownsDir?: boolean;
  /** The failure matrix's "proposed" state (true) or its "current" one (false). Default true. */
  guardrails?: boolean;
  /** Size of PostgreSQL's tmpfs, MiB (default 96). */
  pgDataSizeMiB?: number;
  /** PostgreSQL's max_connections (default 30: small, so exhausting it is cheap). */
  pgMaxConnections?: number;
  /** How often the scheduler writes its heartbeat row (default 1000 ms). */
  schedulerIntervalMs?: number;
  /** Without guardrails: how long received events wait in memory before they are written (default 1000 ms). */
  eventFlushMs?: number;
  /** With guardrails: how long the circuit breaker stays open (default 3000 ms). */
  breakerOpenMs?: number;
  /** Delay before the supervisor restarts PostgreSQL or Redis after they exit (default 1000 ms, both modes). */
  infraRestartDelayMs?: number;
  /** Force the stack's uid (0 = stay root); default a dedicated free uid when root. */
  runAsUid?: number;
}

/** Options with every default filled in. */
export type ResolvedWebstackOptions = Required<Omit<WebstackOptions, 'dir' | 'ownsDir' | 'runAsUid'>> & Pick<WebstackOptions, 'runAsUid'>;

/** The defaults. */
export const DEFAULT_WEBSTACK_OPTIONS: ResolvedWebstackOptions = {
  guardrails: true,
  pgDataSizeMiB: 96,
  pgMaxConnections: 30,
  schedulerIntervalMs: 1000,
  eventFlushMs: 1000,
  breakerOpenMs: 3000,
  infraRestartDelayMs: 1000,
};

/** Fills defaults and checks ranges; throws InputError naming the option. */
export function resolveWebstackOptions(options: WebstackOptions): ResolvedWebstackOptions {
  const resolved: ResolvedWebstackOptions = { ...DEFAULT_WEBSTACK_OPTIONS };
  for (const key of Object.keys(DEFAULT_WEBSTACK_OPTIONS) as Array<keyof ResolvedWebstackOptions>) {
    const value = options[key];
    if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
  }
  if (options.runAsUid !== undefined) resolved.runAsUid = options.runAsUid;
  checkRange('pgDataSizeMiB', resolved.pgDataSizeMiB, 48, 4096);
  checkRange('pgMaxConnections', resolved.pgMaxConnections, 10, 1000);
  checkRange('schedulerIntervalMs', resolved.schedulerIntervalMs, 50, 600_000);
  checkRange('eventFlushMs', resolved.eventFlushMs, 10, 600_000);
  checkRange('breakerOpenMs', resolved.breakerOpenMs, 100, 600_000);
  checkRange('infraRestartDelayMs', resolved.infraRestartDelayMs, 0, 600_000);
  return resolved;
}

function checkRange(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`web stack option ${name}: expected an integer from ${min} to ${max}; got ${JSON.stringify(value)} (${typeof value})`);
  }
}
