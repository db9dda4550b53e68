// Probe: a query through a new PostgreSQL connection returns rows within a latency budget (polled:
// PostgreSQL announces nothing a client could listen to while it is down). Every transaction is
// read-only, so a probe never changes the target; a failure names its SQLSTATE class.
import { Type } from '@sinclair/typebox';
import { findService } from '../targets/services/find-service.js';
import { classifyPostgresError, closePostgres, connectPostgres } from '../targets/services/postgres-client.js';
import { monotonicMs } from '../util/clock.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';

export default defineProbe({
  type: 'sql',
  needs: ['services'],
  summary: 'passes while a read-only query on a new connection to a postgres service returns the expected rows within latencyMs',
  params: defineProbeParams('sql', {
    service: Type.Optional(Type.String({ minLength: 1, description: 'The postgres service (target.services[].name); default: the target’s only one.' })),
    query: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, default: 'SELECT 1', description: 'The query, run read-only (default_transaction_read_only).' })),
    minRows: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Fewer rows fail.' })),
    maxRows: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'More rows fail.' })),
    latencyMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, description: 'Latency budget for connect plus query: a slower answer fails.' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, default: 2000, description: 'Give up on connect, and on the query, after this long.' })),
  }, 'A PostgreSQL service answers a query.'),
  defaultIntervalMs: 200,
  checkParams(params) {
    if (params.minRows !== undefined && params.maxRows !== undefined && params.minRows > params.maxRows) return { field: 'maxRows', message: `maxRows ${params.maxRows} is below minRows ${params.minRows}` };
    return undefined;
  },
  create(params, { target }) {
    const service = findService(target, 'postgres', params.service, 'probe.service');
    const query = params.query ?? 'SELECT 1';
    const timeoutMs = params.timeoutMs ?? 2000;
    const label = `${service.name}`;
    return {
      async check() {
        const started = monotonicMs();
        let rows: number;
        try {
          const client = await connectPostgres(service, { timeoutMs, readOnly: true, applicationName: 'faultline-probe' });
          try {
            rows = (await client.query(query)).rowCount ?? 0;
          } finally {
            await closePostgres(client);
          }
        } catch (error) {
          const { errorClass, message } = classifyPostgresError(error);
          return { ok: false, detail: `${label}: ${errorClass}: ${message}` };
        }
        const latency = monotonicMs() - started;
        if (params.minRows !== undefined && rows < params.minRows) return { ok: false, detail: `${label}: ${rows} rows, expected at least ${params.minRows}` };
        if (params.maxRows !== undefined && rows > params.maxRows) return { ok: false, detail: `${label}: ${rows} rows, expected at most ${params.maxRows}` };
        if (params.latencyMs !== undefined && latency > params.latencyMs) return { ok: false, detail: `${label}: ${latency.toFixed(1)} ms (> ${params.latencyMs} ms)` };
        return { ok: true };
      },
    };
  },
});
