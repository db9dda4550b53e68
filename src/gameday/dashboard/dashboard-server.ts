// The live dashboard: an HTTP server on 127.0.0.1 (a free port), a listener on the run's event stream,
// pushing the folded state to each page over server-sent events. Every request that reads or changes
// the run needs the per-run token (printed in the terminal only): no other local user and no
// cross-site page can watch, halt, continue or annotate the run. The page loads nothing from outside.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunEvent, RunEventListener } from '../../events/types.js';
import { applyDashboardEvent, createDashboardState, type DashboardState } from './dashboard-state.js';
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from './page.js';

/** What the dashboard's buttons do (wired to the run once it is open). */
export interface DashboardControls {
  halt(by: string, reason: string): void;
  /** False when no manual step waits. */
  continue(by: string): boolean;
  note(text: string, author: string): void;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MAX_BODY = 8 * 1024;

/** A dashboard serving one run. */
export class Dashboard implements RunEventListener {
  readonly token = randomBytes(24).toString('base64url');
  readonly state: DashboardState = createDashboardState();
  controls: DashboardControls | undefined;
  readonly #server: Server;
  readonly #clients = new Set<ServerResponse>();
  #port = 0;
  #pending: NodeJS.Immediate | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  private constructor() {
    this.#server = createServer((request, response) => this.#handle(request, response));
  }

  /** Listens on 127.0.0.1 (port 0: a free one). */
  static async start(port = 0): Promise<Dashboard> {
    const dashboard = new Dashboard();
    await new Promise<void>((resolve, reject) => {
      dashboard.#server.once('error', reject);
      dashboard.#server.listen(port, '127.0.0.1', () => resolve());
    });
    dashboard.#port = (dashboard.#server.address() as AddressInfo).port;
    // A comment every 15 s keeps idle connections open through anything that times them out.
    dashboard.#keepAlive = setInterval(() => { for (const client of dashboard.#clients) client.write(': keep-alive\n\n'); }, 15_000).unref();
    return dashboard;
  }

  /** The address without the token (what other users may see, e.g. in the live-run registration). */
  get origin(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The address to open: with the token. */
  get url(): string {
    return `${this.origin}/?token=${this.token}`;
  }

  onEvent(event: RunEvent): void {
    if (!applyDashboardEvent(this.state, event)) return;
    // Events of one turn (a sample's probe changes) go out as one update, at once after it.
    this.#pending ??= setImmediate(() => {
      this.#pending = undefined;
      this.#broadcast();
    });
  }

  /** Sends the last state and closes every connection and the server (once; the run's stream closes it after run.end). */
  async close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    if (this.#pending) clearImmediate(this.#pending);
    this.#pending = undefined;
    this.#broadcast();
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections?.();
  }

  #broadcast(): void {
    const message = `event: state\ndata: ${JSON.stringify(this.state)}\n\n`;
    for (const client of this.#clients) client.write(message);
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    response.setHeader('Content-Security-Policy', CSP);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-store');
    // DNS rebinding: a page of another site resolving its name to 127.0.0.1 sends its own Host.
    if (!this.#isOwnHost(request.headers.host)) return send(response, 403, 'refused: unexpected Host header');
    const url = new URL(request.url ?? '/', this.origin);
    if (request.method === 'GET' && url.pathname === '/app.js') return send(response, 200, DASHBOARD_JS, 'text/javascript; charset=utf-8');
    if (request.method === 'GET' && url.pathname === '/app.css') return send(response, 200, DASHBOARD_CSS, 'text/css; charset=utf-8');
    if (request.method === 'GET') {
      if (!this.#hasToken(url.searchParams.get('token'))) return send(response, 403, 'refused: this needs the run’s token (printed where the game day was started)');
      if (url.pathname === '/') return send(response, 200, DASHBOARD_HTML, 'text/html; charset=utf-8');
      if (url.pathname === '/events') return this.#openStream(response);
      if (url.pathname === '/state') return send(response, 200, JSON.stringify(this.state), 'application/json');
      return send(response, 404, 'not found');
    }
    if (request.method === 'POST') return void this.#control(request, response, url.pathname);
    return send(response, 405, 'method not allowed');
  }

  #openStream(response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    response.write(`event: state\ndata: ${JSON.stringify(this.state)}\n\n`);
    this.#clients.add(response);
    response.on('close', () => this.#clients.delete(response));
  }

  // Controls: the token in a header (a cross-site form or image cannot set one), JSON only, our own Origin if any.
  async #control(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const header = request.headers['x-faultline-token'];
    if (!this.#hasToken(typeof header === 'string' ? header : null)) return send(response, 403, 'refused: this needs the run’s token in X-Faultline-Token');
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== this.origin && origin !== `http://localhost:${this.#port}`) return send(response, 403, 'refused: cross-origin request');
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) return send(response, 415, 'expected application/json');
    const body = await readBody(request).catch(() => undefined);
    if (body === undefined) return send(response, 400, `expected a JSON object of at most ${MAX_BODY} bytes`);
    const controls = this.controls;
    if (!controls) return send(response, 409, 'the run has not started yet');
    if (path === '/halt') {
      controls.halt('the dashboard', typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim().slice(0, 500) : 'Halt pressed on the dashboard');
      return send(response, 200, 'halting: the current fault rolls back');
    }
    if (path === '/continue') return controls.continue('the dashboard') ? send(response, 200, 'continued') : send(response, 409, 'no manual step is waiting');
    if (path === '/note') {
      const text = typeof body.text === 'string' ? body.text.trim() : '';
      if (!text) return send(response, 400, 'a note needs text');
      controls.note(text.slice(0, 2000), typeof body.author === 'string' && body.author.trim() ? body.author.trim().slice(0, 80) : 'dashboard');
      return send(response, 200, 'noted');
    }
    return send(response, 404, 'not found');
  }

  #isOwnHost(host: string | undefined): boolean {
    return host === `127.0.0.1:${this.#port}` || host === `localhost:${this.#port}`;
  }

  #hasToken(given: string | null): boolean {
    if (given === null) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

function send(response: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'Content-Type': type });
  response.end(body);
}

function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        const value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
        if (value === null || typeof value !== 'object' || Array.isArray(value)) reject(new Error('not an object'));
        else resolve(value as Record<string, unknown>);
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}
