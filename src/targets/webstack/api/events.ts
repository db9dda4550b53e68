// Event ingestion (the failure matrix's batch event processing). With guardrails a batch is
// acknowledged (201) only once it is committed. Without, it is acknowledged (202) on receipt and kept in
// memory until the next flush: a crash, or a flush that fails, loses events the client was told were accepted.
import type { Database } from './database.js';
import { HttpError } from './http-io.js';

/** One event as posted. */
export interface PostedEvent {
  id: string;
  kind: string;
  payload?: unknown;
}

interface Buffered extends PostedEvent {
  username: string;
  receivedAt: string;
}

const MAX_BATCH = 1000;
const INSERT = `INSERT INTO events (client_id, username, kind, payload, received_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[]) ON CONFLICT (client_id) DO NOTHING`;

/** Checks a posted body: `{ events: [{ id, kind, payload? }] }` or one event `{ id, kind, payload? }`. */
export function parseEvents(body: Record<string, unknown>): PostedEvent[] {
  const list = Array.isArray(body.events) ? body.events : [body];
  if (list.length === 0 || list.length > MAX_BATCH) throw new HttpError(400, `a batch holds 1 to ${MAX_BATCH} events; got ${list.length}`);
  return list.map((entry, index) => {
    const event = entry as Record<string, unknown>;
    if (typeof event?.id !== 'string' || event.id.length === 0 || event.id.length > 200) throw new HttpError(400, `events[${index}].id: expected a string of 1 to 200 characters`);
    if (typeof event.kind !== 'string' || event.kind.length === 0 || event.kind.length > 100) throw new HttpError(400, `events[${index}].kind: expected a string of 1 to 100 characters`);
    return { id: event.id, kind: event.kind, ...(event.payload !== undefined ? { payload: event.payload } : {}) };
  });
}

/** Takes batches in: commits them (guardrails) or buffers them for the next flush. */
export class EventIngest {
  #buffer: Buffered[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  constructor(private readonly db: Database, private readonly options: { guardrails: boolean; flushMs: number; log: (line: string) => void }) {
    if (!options.guardrails) {
      this.#timer = setInterval(() => void this.flush(), options.flushMs);
      this.#timer.unref();
    }
  }

  /** Accepts a batch; resolves with the answer's status: 201 committed, 202 accepted for later. */
  async accept(username: string, events: PostedEvent[]): Promise<{ status: 201 | 202; committed: boolean }> {
    const receivedAt = new Date().toISOString();
    const rows = events.map((event) => ({ ...event, username, receivedAt }));
    if (!this.options.guardrails) {
      this.#buffer.push(...rows);
      return { status: 202, committed: false };
    }
    await this.insert(rows);
    return { status: 201, committed: true };
  }

  /** Writes what is buffered; a failed flush drops the batch (no retry, no dead-letter queue: the "current" system). */
  async flush(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    const batch = this.#buffer;
    if (batch.length === 0) return;
    this.#buffer = [];
    this.#flushing = this.insert(batch)
      .catch((error: unknown) => this.options.log(`event flush failed, ${batch.length} event(s) dropped: ${(error as Error).message}`))
      .finally(() => {
        this.#flushing = undefined;
      });
    return this.#flushing;
  }

  /** Stops the flush timer after a last flush (a graceful stop loses nothing; a crash does). */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
  }

  private async insert(rows: Buffered[]): Promise<void> {
    await this.db.query(INSERT, [
      rows.map((row) => row.id),
      rows.map((row) => row.username),
      rows.map((row) => row.kind),
      rows.map((row) => (row.payload === undefined ? null : JSON.stringify(row.payload))),
      rows.map((row) => row.receivedAt),
    ]);
  }
}
