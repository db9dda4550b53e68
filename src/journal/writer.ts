// Appends journal events synchronously, one line each, so an interrupted run keeps everything up to its last event.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** A JSONL journal open for appending; events come stamped from the run's event stream. */
export class JournalWriter {
  readonly path: string;
  private fd: number | undefined;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.fd = openSync(path, 'a');
  }

  /** Appends one event (already stamped: the stream stamps events when they happen). */
  append(event: { t: number; type: string }): void {
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  /** Closes the file; later appends are dropped. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
