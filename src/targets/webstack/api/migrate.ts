// The schema, applied at API start. With guardrails the connection and migration are retried with
// exponential back-off (a database still starting, or briefly gone, does not kill the API); without,
// one attempt, and the API exits when it fails.
import type { Database } from './database.js';

/** Migrations by version; each runs once, in a transaction, under an advisory lock. */
export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE users (id bigserial PRIMARY KEY, username text UNIQUE NOT NULL, email text, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE events (id bigserial PRIMARY KEY, client_id text UNIQUE NOT NULL, username text NOT NULL, kind text NOT NULL, payload jsonb, received_at timestamptz NOT NULL, stored_at timestamptz NOT NULL DEFAULT now());
      CREATE INDEX events_kind ON events (kind);
      CREATE TABLE heartbeats (id bigserial PRIMARY KEY, job text NOT NULL, t timestamptz NOT NULL DEFAULT now());
    `,
  },
];

/** The newest schema version. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** Applies pending migrations; returns the versions applied. */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(727271)');
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((row: { version: number }) => row.version));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
      applied.push(migration.version);
    }
    return applied;
  });
}

/** Migrates, retrying with back-off (200 ms doubling to 5 s, for up to `budgetMs`) when `retry`; logs each attempt. */
export async function migrateAtStartup(db: Database, options: { retry: boolean; budgetMs: number; log: (line: string) => void }): Promise<number[]> {
  const deadline = performance.now() + options.budgetMs;
  for (let attempt = 1, delay = 200; ; attempt++, delay = Math.min(delay * 2, 5000)) {
    try {
      return await migrate(db);
    } catch (error) {
      const message = (error as Error).message;
      if (!options.retry || performance.now() + delay > deadline) throw new Error(`migration failed after ${attempt} attempt(s): ${message}`, { cause: error });
      options.log(`migration attempt ${attempt} failed (${message}); retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
