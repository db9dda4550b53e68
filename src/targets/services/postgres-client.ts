// A PostgreSQL connection to a target's service, and the error class a failure belongs to, shared by
// the sql probe, the sql.rows canary, db.exhaust-connections and the DR drill.
import pg from 'pg';
import type { ServiceEndpoint } from '../types.js';

/** Options of one connection. */
export interface PostgresConnectOptions {
  /** Connect and each statement give up after this long. */
  timeoutMs: number;
  /** Every transaction read-only (probes never change the target). */
  readOnly?: boolean;
  /** Shown in pg_stat_activity: how faultline finds its own sessions again (db.exhaust-connections). */
  applicationName?: string;
}

/** Opens one connection (no pool: each probe check proves the server still accepts a new one). */
export async function connectPostgres(service: ServiceEndpoint, options: PostgresConnectOptions): Promise<pg.Client> {
  const client = new pg.Client({
    host: service.host,
    port: service.port,
    database: service.database ?? 'postgres',
    user: service.user ?? 'postgres',
    ...(service.password !== undefined ? { password: service.password } : {}),
    connectionTimeoutMillis: options.timeoutMs,
    statement_timeout: options.timeoutMs,
    query_timeout: options.timeoutMs + 100,
    application_name: options.applicationName ?? 'faultline',
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An error after connect (the server went away) must not crash faultline: the next query reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** Closes a connection, never throwing (the server may be gone). */
export async function closePostgres(client: pg.Client): Promise<void> {
  await client.end().catch(() => undefined);
}

// SQLSTATE classes (the first two characters) a resilience test meets; the rest are named by their code.
const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'connection exception',
  '25': 'invalid transaction state',
  '28': 'invalid authorization',
  '3D': 'invalid catalog name',
  '40': 'transaction rollback',
  '42': 'syntax error or access rule violation',
  '53': 'insufficient resources',
  '54': 'program limit exceeded',
  '57': 'operator intervention',
  '58': 'system error',
  XX: 'internal error',
};

/** What went wrong, as a class: "53300 insufficient resources", "ECONNREFUSED", "timeout". */
export function classifyPostgresError(error: unknown): { errorClass: string; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return { errorClass: `${code} ${SQLSTATE_CLASSES[code.slice(0, 2)] ?? 'SQLSTATE'}`, message: text };
  }
  if (typeof code === 'string') return { errorClass: code, message: text };
  if (/timeout|timed out/i.test(text)) return { errorClass: 'timeout', message: text };
  if (/terminated|Connection terminated/i.test(text)) return { errorClass: 'connection terminated', message: text };
  return { errorClass: 'error', message: text };
}
