// The API's routes, modelled on the failure matrix's critical paths: register (DB insert), events
// (JWT-checked batches), patterns (cached in Redis), uploads (local disk) and /health.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BreakerOpenError } from './breaker.js';
import type { Cache } from './cache.js';
import type { ApiConfig } from './config.js';
import { isConnectionError, type Database } from './database.js';
import { EventIngest, parseEvents } from './events.js';
import { checkHealth } from './health.js';
import { HttpError, readBody, readJson, sendJson } from './http-io.js';
import { signToken, verifyToken } from './jwt.js';
import type { Uploads } from './uploads.js';

const PATTERNS_KEY = 'patterns:v1';
const PATTERNS_TTL_MS = 2000;
const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** What the routes use. */
export interface ApiContext {
  config: ApiConfig;
  db: Database;
  cache: Cache;
  events: EventIngest;
  uploads: Uploads;
  log: (line: string) => void;
}

/** Answers one request. */
export async function handleRequest(context: ApiContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    await route(context, request, response);
  } catch (error) {
    sendError(context, response, error);
  }
}

async function route(context: ApiContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const path = url.pathname;
  if (method === 'GET' && path === '/health') {
    const report = await checkHealth(context.db, context.cache, context.config);
    return sendJson(response, report.status === 'ok' ? 200 : 503, report);
  }
  if (method === 'POST' && path === '/api/auth/register') return register(context, request, response);
  if (method === 'POST' && path === '/api/auth/token') return issueToken(context, request, response);
  if (method === 'POST' && path === '/api/events') return postEvents(context, request, response);
  if (method === 'GET' && path === '/api/patterns') return readPatterns(context, response);
  if (method === 'POST' && path === '/api/uploads') {
    const id = context.uploads.save(await readBody(request, 1024 * 1024));
    return sendJson(response, 201, { id });
  }
  if (method === 'GET' && path.startsWith('/api/uploads/')) {
    const data = context.uploads.read(path.slice('/api/uploads/'.length));
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
    return void response.end(data);
  }
  throw new HttpError(404, `no route ${method} ${path}`);
}

async function register(context: ApiContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readJson(request);
  const username = checkUsername(body.username);
  const email = typeof body.email === 'string' ? body.email.slice(0, 200) : null;
  try {
    const rows = await context.db.query('INSERT INTO users (username, email) VALUES ($1, $2) RETURNING id', [username, email]);
    sendJson(response, 201, { id: Number(rows[0]!.id), username, token: signToken(username, context.config.jwtSecret) });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new HttpError(409, `user ${username} exists`);
    throw error;
  }
}

async function issueToken(context: ApiContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const username = checkUsername((await readJson(request)).username);
  const rows = await context.db.query('SELECT id FROM users WHERE username = $1', [username]);
  if (rows.length === 0) throw new HttpError(404, `no user ${username}: register first`);
  sendJson(response, 200, { token: signToken(username, context.config.jwtSecret) });
}

async function postEvents(context: ApiContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  const secrets = [context.config.jwtSecret, ...(context.config.jwtPreviousSecret ? [context.config.jwtPreviousSecret] : [])];
  const claims = token ? verifyToken(token, secrets) : undefined;
  if (!claims) throw new HttpError(401, 'missing, expired or invalid bearer token', { 'www-authenticate': 'Bearer' });
  const events = parseEvents(await readJson(request));
  const { status, committed } = await context.events.accept(claims.sub, events);
  sendJson(response, status, { accepted: events.length, committed, ids: events.map((event) => event.id) });
}

async function readPatterns(context: ApiContext, response: ServerResponse): Promise<void> {
  const cached = await context.cache.get(PATTERNS_KEY);
  const degraded = cached.source === 'memory';
  const headers: Record<string, string> = degraded ? { 'x-degraded': 'redis unavailable: in-memory cache' } : {};
  if (cached.value !== null) return sendJson(response, 200, { patterns: JSON.parse(cached.value) as unknown, source: cached.source, degraded }, headers);
  const rows = await context.db.query('SELECT kind, count(*)::int AS count FROM events GROUP BY kind ORDER BY kind');
  const stored = await context.cache.set(PATTERNS_KEY, JSON.stringify(rows), PATTERNS_TTL_MS);
  sendJson(response, 200, { patterns: rows, source: 'database', cachedIn: stored, degraded: degraded || stored === 'memory' }, stored === 'memory' ? { 'x-degraded': 'redis unavailable: in-memory cache' } : headers);
}

function checkUsername(value: unknown): string {
  if (typeof value !== 'string' || !USERNAME.test(value)) throw new HttpError(400, 'username: expected 1 to 64 of A-Z a-z 0-9 _ . -');
  return value;
}

// With guardrails a database that is down answers 503 with Retry-After (the breaker's mitigation chain);
// without, whatever failed is a 500.
function sendError(context: ApiContext, response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.destroy();
  if (error instanceof HttpError) return sendJson(response, error.status, { error: error.message }, error.headers);
  if (error instanceof BreakerOpenError) return sendJson(response, 503, { error: error.message }, { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)) });
  const message = (error as Error)?.message ?? String(error);
  if (context.config.guardrails && isConnectionError(error)) return sendJson(response, 503, { error: `database unavailable: ${message}` }, { 'retry-after': '1' });
  context.log(`500: ${message}`);
  sendJson(response, 500, { error: message });
}
