// Canary: sequenced writes through the application's own API (an HTTP POST per item, acknowledged by a
// 2xx), reconciled with the rows the database holds afterwards. An item the API acknowledged that is not
// in the table is lost: the measured RPO in rows (count, sequence numbers, and when they were sent).
import { Type } from '@sinclair/typebox';
import { findService } from '../targets/services/find-service.js';
import { sendHttp } from '../targets/services/http-client.js';
import { closePostgres, connectPostgres } from '../targets/services/postgres-client.js';
import type { ServiceEndpoint } from '../targets/types.js';
import { defineCanary } from './types.js';
import { defineCanaryParams } from './params.js';
import { readBackWithRetry, readJsonField } from './read-back.js';

const IDENTIFIER = '^[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?$';
const USERNAME = '^[A-Za-z0-9_.-]{1,64}$';
/** Most rows read back: canary tokens of many runs may pile up in a table. */
const MAX_ROWS = 200_000;

export default defineCanary({
  type: 'sql.rows',
  needs: ['services'],
  summary: 'POSTs sequenced items through the API and counts those it acknowledged (2xx) that are missing from a database table afterwards',
  params: defineCanaryParams('sql.rows', {
    api: Type.Optional(Type.String({ minLength: 1, description: 'The http service written through (target.services[].name); default: the target’s only one.' })),
    path: Type.Optional(Type.String({ pattern: '^/[\\x21-\\x7e]*$', default: '/api/events', description: 'Path each item is POSTed to.' })),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, default: '{"id":"{token}","kind":"faultline-canary"}', description: 'JSON body; {token} is replaced by the item’s token, which must land in `column`.' })),
    auth: Type.Optional(Type.Object({
      username: Type.String({ pattern: USERNAME, description: 'The canary’s user.' }),
      registerPath: Type.Optional(Type.String({ pattern: '^/[\\x21-\\x7e]*$', description: 'POST {"username"} here once first (a 409, user exists, is fine).' })),
      tokenPath: Type.String({ pattern: '^/[\\x21-\\x7e]*$', description: 'POST {"username"} here for a bearer token.' }),
      tokenField: Type.Optional(Type.String({ minLength: 1, default: 'token', description: 'Field of the answer holding the token.' })),
    }, { additionalProperties: false, description: 'Sign in for a bearer token before the first write, and again after a 401 (as a logged-out user does).' })),
    database: Type.Optional(Type.String({ minLength: 1, description: 'The postgres service the rows are read back from; default: the target’s only one.' })),
    table: Type.Optional(Type.String({ pattern: IDENTIFIER, default: 'events', description: 'Table (or schema.table) the items land in.' })),
    column: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$', default: 'client_id', description: 'Column holding the token.' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 60_000, default: 3000, description: 'A write with no answer within this long counts as not acknowledged.' })),
  }, 'Rows written through the API are not lost.'),
  create(params, { target }) {
    const api = findService(target, 'http', params.api, 'canary.api');
    const database = findService(target, 'postgres', params.database, 'canary.database');
    const timeoutMs = params.timeoutMs ?? 3000;
    const body = params.body ?? '{"id":"{token}","kind":"faultline-canary"}';
    const session = createSession(api, params.auth, timeoutMs);
    const query = `SELECT ${quoteIdentifier(params.column ?? 'client_id')}::text AS token FROM ${quoteIdentifier(params.table ?? 'events')} WHERE ${quoteIdentifier(params.column ?? 'client_id')}::text LIKE 'fl-%' LIMIT ${MAX_ROWS}`;
    return {
      async send(token) {
        const headers = await session.headers();
        if ('error' in headers) return { accepted: false, detail: headers.error };
        const answer = await sendHttp(api, { method: 'POST', path: params.path ?? '/api/events', body: body.replaceAll('{token}', token), headers, timeoutMs });
        if ('error' in answer) return { accepted: false, detail: answer.error };
        if (answer.status === 401) session.forget();
        return answer.status >= 200 && answer.status < 300 ? { accepted: true } : { accepted: false, detail: `status ${answer.status}` };
      },
      async collect() {
        return readTokens(database, query);
      },
    };
  },
});

// Reads back every canary token in the table; retried for a while when the database is not back yet
// (readBackWithRetry), and then throws (an unreadable table is not proof that the rows are gone).
function readTokens(database: ServiceEndpoint, query: string): Promise<string> {
  return readBackWithRetry(async () => {
    const client = await connectPostgres(database, { timeoutMs: 3000, readOnly: true, applicationName: 'faultline-canary' });
    try {
      const { rows } = await client.query<{ token: string }>(query);
      return rows.map((row) => row.token).join('\n');
    } finally {
      await closePostgres(client);
    }
  });
}

// A bearer token fetched lazily and again after a 401; without `auth`, no header at all.
function createSession(api: ServiceEndpoint, auth: { username: string; registerPath?: string; tokenPath: string; tokenField?: string } | undefined, timeoutMs: number) {
  let token: string | undefined;
  let registered = false;
  return {
    async headers(): Promise<Record<string, string> | { error: string }> {
      if (!auth) return {};
      if (token === undefined) {
        const credentials = JSON.stringify({ username: auth.username });
        if (auth.registerPath && !registered) {
          const answer = await sendHttp(api, { method: 'POST', path: auth.registerPath, body: credentials, timeoutMs });
          if ('error' in answer) return { error: `register: ${answer.error}` };
          if (answer.status !== 409 && (answer.status < 200 || answer.status >= 300)) return { error: `register: status ${answer.status}` };
          registered = true;
        }
        const answer = await sendHttp(api, { method: 'POST', path: auth.tokenPath, body: credentials, timeoutMs });
        if ('error' in answer) return { error: `sign-in: ${answer.error}` };
        if (answer.status < 200 || answer.status >= 300) return { error: `sign-in: status ${answer.status}` };
        const value = readJsonField(answer.body, auth.tokenField ?? 'token');
        if (typeof value !== 'string' || value === '') return { error: `sign-in: no ${auth.tokenField ?? 'token'} in the answer` };
        token = value;
      }
      return { authorization: `Bearer ${token}` };
    },
    forget() {
      token = undefined;
    },
  };
}

function quoteIdentifier(name: string): string {
  return name.split('.').map((part) => `"${part}"`).join('.');
}
