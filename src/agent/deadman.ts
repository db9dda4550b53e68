// The agent's dead-man timer: every line from the controller winds it up; when it runs out (the
// controller was killed, the network went away without closing the channel) the agent rolls its
// host back on its own. What it did is kept in <state>/deadman.jsonl for `faultline recover` to report.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentStatus } from './protocol.js';

/** Bounds of the dead-man interval a controller may ask for. */
export const DEADMAN_LIMITS = { minMs: 500, maxMs: 600_000, defaultMs: 10_000 } as const;

/**
 * A timer that calls `onExpire` once if `wind` is not called again within `ms`. When it runs out it
 * looks once more after the I/O already waiting has been read: a host whose event loop was busy (loading
 * the registries, under load) must not take a controller's queued heartbeat for silence.
 */
export class DeadmanTimer {
  #ms: number;
  #timer: NodeJS.Timeout | undefined;
  #check: NodeJS.Immediate | undefined;
  #woundAt = performance.now();
  readonly #onExpire: () => void;

  constructor(ms: number, onExpire: () => void) {
    this.#ms = ms;
    this.#onExpire = onExpire;
  }

  get ms(): number {
    return this.#ms;
  }

  /** Changes the interval (the controller's hello) and winds the timer. */
  setInterval(ms: number): void {
    this.#ms = ms;
    this.wind();
  }

  /** Starts the interval again from now. */
  wind(): void {
    this.#woundAt = performance.now();
    this.#arm(this.#ms);
  }

  stop(): void {
    clearTimeout(this.#timer);
    if (this.#check) clearImmediate(this.#check);
  }

  #arm(ms: number): void {
    this.stop();
    this.#timer = setTimeout(() => {
      // setImmediate runs after the poll phase: lines already in the pipe are read (and wind) first.
      this.#check = setImmediate(() => {
        const left = this.#ms - (performance.now() - this.#woundAt);
        if (left > 0) this.#arm(left);
        else this.#onExpire();
      });
    }, Math.max(1, ms));
  }
}

/** The dead-man record file of a state directory. */
export function getDeadmanFile(stateDir: string): string {
  return join(stateDir, 'agent', 'deadman.jsonl');
}

/** Appends what a dead-man rollback did. */
export function appendDeadmanRecord(stateDir: string, record: AgentStatus['deadman'][number]): void {
  mkdirSync(join(stateDir, 'agent'), { recursive: true, mode: 0o700 });
  appendFileSync(getDeadmanFile(stateDir), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/** Every dead-man rollback recorded in a state directory (the last 50). */
export function readDeadmanRecords(stateDir: string): AgentStatus['deadman'] {
  let text: string;
  try {
    text = readFileSync(getDeadmanFile(stateDir), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).slice(-50).flatMap((line) => {
    try {
      return [JSON.parse(line) as AgentStatus['deadman'][number]];
    } catch {
      return [];
    }
  });
}
