// Follows the target's own logs during a run (scenario `targetSignals`): every line matching a signal's
// pattern is recorded with the moment faultline saw it (fs.watch, with a slow poll as a fallback).
import type { TargetSignal } from '../analyse/summary-schema.js';
import type { TargetSignalSpec } from '../scenario/types.js';
import type { Target } from '../targets/types.js';
import { epochMs } from '../util/clock.js';
import { FileWatcher } from './sources/file-watcher.js';
import { LogTail } from './sources/log-tail.js';

const FALLBACK_POLL_MS = 100;

interface Watched {
  spec: TargetSignalSpec;
  path: string;
  tail: LogTail;
  pattern: RegExp;
}

/** Tails each signal log from its current end until close(). */
export class TargetSignalWatch {
  private readonly watched: Watched[];
  private readonly seen: { t: number; spec: TargetSignalSpec; line: string }[] = [];
  private readonly files = new FileWatcher();
  private readonly unwatch: (() => void)[] = [];
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(specs: readonly TargetSignalSpec[], target: Target) {
    this.watched = specs.map((spec) => {
      const path = target.resolvePath(spec.path);
      return { spec, path, tail: new LogTail(path), pattern: new RegExp(spec.matches) };
    });
    for (const item of this.watched) this.unwatch.push(this.files.watch(item.path, () => this.read(item)));
    if (this.watched.length > 0) this.timer = setInterval(() => this.readAll(), FALLBACK_POLL_MS).unref();
  }

  /** Stops following and returns the signals seen, with offsets from t0 (epoch ms). */
  close(t0: number | null): TargetSignal[] {
    this.readAll();
    clearInterval(this.timer);
    for (const stop of this.unwatch) stop();
    this.files.close();
    return this.seen.map(({ t, spec, line }) => ({
      t,
      offsetMs: t0 === null ? 0 : Math.round((t - t0) * 1000) / 1000,
      event: spec.event,
      component: 'log',
      subject: spec.path,
      detail: line.length > 200 ? `${line.slice(0, 200)}…` : line,
    }));
  }

  private readAll(): void {
    for (const item of this.watched) {
      this.files.refresh(item.path);
      this.read(item);
    }
  }

  private read(item: Watched): void {
    const t = epochMs();
    for (const line of item.tail.readNewLines()) if (item.pattern.test(line)) this.seen.push({ t, spec: item.spec, line });
  }
}

/**
 * The target's own figures from its signals: its first "detect" (the window starts just before t0,
 * so a target that noticed during the injection shows a small negative offset) and its last "repair"
 * before the stable window ended (before the run ended, when it did not recover).
 */
export function getTargetFigures(signals: readonly TargetSignal[], options: { rtoMs: number | null; stabilizeMs: number; notBeforeMs?: number }): { targetTtdMs: number | null; targetRtoMs: number | null } {
  const sorted = [...signals].sort((a, b) => a.t - b.t);
  const detect = sorted.find((signal) => signal.event === 'detect');
  const cutoff = options.rtoMs === null ? Number.POSITIVE_INFINITY : options.rtoMs + options.stabilizeMs;
  // A repair recorded after inject began (notBeforeMs, ≤ 0) belongs to this fault, even one before t0.
  const notBefore = options.notBeforeMs ?? 0;
  const repair = sorted.filter((signal) => signal.event === 'repair' && signal.offsetMs >= notBefore && signal.offsetMs <= cutoff).at(-1);
  return { targetTtdMs: detect?.offsetMs ?? null, targetRtoMs: repair?.offsetMs ?? null };
}
