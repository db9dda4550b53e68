// Appends journal events synchronously, one line each, so an interrupted run keeps everything up to its last event.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { epochMs } from '../util/clock.js';
import type { JournalEvent, JournalEventType } from './events.js';

/** A JSONL journal open for appending. */
export class JournalWriter {
  readonly path: string;
  private fd: number | undefined;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.fd = openSync(path, 'a');
  }

  /** Appends one event stamped with the current time (unless it carries its own `t`). */
  write(type: JournalEventType, data: Record<string, unknown> = {}): JournalEvent {
    const event: JournalEvent = { t: epochMs(), type, ...data };
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(event)}\n`);
    return event;
  }

  /** Closes the file; later writes are dropped. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
