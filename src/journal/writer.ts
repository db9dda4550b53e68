// Appends journal events synchronously, one line each, so an interrupted run keeps everything up to its last event.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { epochMs } from '../util/clock.js';
import type { JournalEvent, JournalEventType } from './events.js';

/** A JSONL journal open for appending. */
export class JournalWriter {
  readonly path: string;
  private fd: number | undefined;
  private queued: JournalEvent[] = [];
  private flushing: NodeJS.Immediate | undefined;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.fd = openSync(path, 'a');
  }

  /** Appends one event stamped with the current time (unless it carries its own `t`). */
  write(type: JournalEventType, data: Record<string, unknown> = {}): JournalEvent {
    this.flush();
    const event: JournalEvent = { t: epochMs(), type, ...data };
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(event)}\n`);
    return event;
  }

  /** Appends an event that is already stamped (the event stream stamps events when they happen). */
  append(event: { t: number; type: string }): void {
    this.flush();
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  /**
   * Stamps an event now and writes it once the current turn of the event loop is done: while
   * faultline samples, serializing and writing would delay the timestamps of the checks and
   * notifications waiting behind them. Order is kept (a `write` writes what is queued first).
   */
  writeSoon(type: JournalEventType, data: Record<string, unknown> = {}): JournalEvent {
    const event: JournalEvent = { t: epochMs(), type, ...data };
    this.queued.push(event);
    this.flushing ??= setImmediate(() => this.flush());
    return event;
  }

  /** Writes what writeSoon queued. */
  flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = undefined;
    const events = this.queued;
    if (events.length === 0) return;
    this.queued = [];
    if (this.fd !== undefined) writeSync(this.fd, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  }

  /** Closes the file (after writing what is queued); later writes are dropped. */
  close(): void {
    this.flush();
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
