// The canaries of one run: items sent before the fault, during it (from t0) and after recovery, then
// reconciled with what the target kept: lost = accepted by the target but not found afterwards.
import { randomBytes } from 'node:crypto';
import type { DataLoss } from '../analyse/summary-schema.js';
import type { CanarySpec } from '../scenario/types.js';
import type { Target } from '../targets/types.js';
import { monotonicMs, roundMs, sleep } from '../util/clock.js';
import { getErrorMessage } from '../errors.js';
import { getCanaryDefinition } from './registry.js';
import type { Canary, CanaryPhase } from './types.js';

/** One item sent (monotonic ms). */
export interface CanaryItem {
  seq: number;
  phase: CanaryPhase;
  sentAt: number;
  accepted: boolean;
  detail?: string;
}

interface Entry {
  name: string;
  type: string;
  canary: Canary;
  pattern: RegExp;
  token: (seq: number) => string;
  count: number;
  intervalMs: number;
  settleMs: number;
  items: CanaryItem[];
}

/** The canaries of one run; tokens carry a random run key, so items of other runs never count. */
export class CanaryRun {
  private constructor(private readonly entries: Entry[]) {}

  /** Instantiates the scenario's canaries for one run. */
  static create(specs: readonly CanarySpec[], target: Target): CanaryRun {
    const key = randomBytes(4).toString('hex');
    return new CanaryRun(
      specs.map((spec, index) => {
        const definition = getCanaryDefinition(spec.type);
        const prefix = `fl-${key}-${index}-`;
        return {
          name: spec.name ?? getCanaryName(spec),
          type: spec.type,
          canary: definition.create(spec, { target }),
          // A token must not match as the prefix of a longer one (…-1 inside …-17).
          pattern: new RegExp(`${prefix}(\\d+)(?!\\d)`, 'g'),
          token: (seq: number) => `${prefix}${seq}`,
          count: spec.count ?? 10,
          intervalMs: spec.intervalMs ?? 20,
          settleMs: spec.settleMs ?? 300,
          items: [],
        };
      }),
    );
  }

  /** True when the scenario has canaries. */
  get active(): boolean {
    return this.entries.length > 0;
  }

  /** Sends each canary's items for one phase (canaries in parallel, items in order); `signal` cuts it short. */
  async sendPhase(phase: CanaryPhase, signal?: AbortSignal): Promise<void> {
    await Promise.all(
      this.entries.map(async (entry) => {
        for (let n = 0; n < entry.count && !signal?.aborted; n++) {
          if (n > 0) await sleep(entry.intervalMs, signal);
          const seq = entry.items.length + 1;
          const sentAt = monotonicMs();
          const result = await entry.canary.send(entry.token(seq)).catch((error: unknown) => ({ accepted: false, detail: String(error) }));
          entry.items.push({ seq, phase, sentAt, accepted: result.accepted, ...(result.detail ? { detail: result.detail } : {}) });
        }
      }),
    );
  }

  /** Waits for the target to settle, reads back what it kept and counts what was lost; times relative to t0. */
  async reconcile(t0: number): Promise<DataLoss> {
    await sleep(Math.max(0, ...this.entries.map((entry) => entry.settleMs)));
    const canaries = await Promise.all(this.entries.map((entry) => reconcileEntry(entry, t0)));
    const lostTimes = canaries.flatMap((canary) => (canary.window ? [canary.window.fromMs, canary.window.toMs] : []));
    return {
      lost: sum(canaries.map((canary) => canary.lost)),
      sent: sum(canaries.map((canary) => canary.sent)),
      rejected: sum(canaries.map((canary) => canary.rejected)),
      window: lostTimes.length > 0 ? { fromMs: Math.min(...lostTimes), toMs: Math.max(...lostTimes) } : null,
      canaries,
    };
  }
}

/** A canary could not read back what the target kept: its loss is unknown, not "everything". */
export class CanaryReadError extends Error {
  constructor(readonly canary: string, cause: unknown) {
    super(`canary ${canary} could not read back what the target kept (${getErrorMessage(cause)}): data loss is unknown, so this run measured nothing about it`);
    this.name = 'CanaryReadError';
  }
}

async function reconcileEntry(entry: Entry, t0: number): Promise<NonNullable<DataLoss['canaries']>[number]> {
  // A canary whose store is provably empty or gone returns '' (every item lost); one that cannot read throws.
  const text = await entry.canary.collect().catch((error: unknown) => {
    throw new CanaryReadError(entry.name, error);
  });
  const delivered = new Set<number>();
  for (const match of text.matchAll(entry.pattern)) delivered.add(Number(match[1]));
  const accepted = entry.items.filter((item) => item.accepted);
  const lost = accepted.filter((item) => !delivered.has(item.seq));
  const offsets = lost.map((item) => roundMs(item.sentAt - t0));
  return {
    name: entry.name,
    type: entry.type,
    sent: accepted.length,
    lost: lost.length,
    rejected: entry.items.length - accepted.length,
    window: offsets.length > 0 ? { fromMs: Math.min(...offsets), toMs: Math.max(...offsets) } : null,
    lostSeqs: lost.slice(0, 100).map((item) => item.seq),
    phases: (['before', 'during', 'after'] as const).map((phase) => {
      const items = entry.items.filter((item) => item.phase === phase);
      return { phase, sent: items.filter((item) => item.accepted).length, lost: lost.filter((item) => item.phase === phase).length, rejected: items.filter((item) => !item.accepted).length };
    }),
  };
}

function getCanaryName(spec: CanarySpec): string {
  const subject = Object.entries(spec).find(([key, value]) => !['type', 'name', 'count', 'intervalMs', 'settleMs'].includes(key) && typeof value === 'string');
  return subject ? `${spec.type} ${String(subject[1])}` : spec.type;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
