// A real web stack (PostgreSQL + Redis + the API, under its supervisor) for tests: started in a fresh
// temp dir on free loopback ports, stopped with nothing left behind. One stack per test file, please:
// a start is 4-6 s of PostgreSQL initdb and start-up.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { listUidProcesses } from '../../src/util/proc-usage.js';
import { startWebstack, stopWebstack, type WebstackOptions, type WebstackTarget } from '../../src/targets/webstack/index.js';
import type { ServiceEndpoint } from '../../src/targets/types.js';

export type { WebstackTarget };

/** A started stack and how to reach it. */
export interface TestWebstack {
  target: WebstackTarget;
  dir: string;
  /** The stack's uid (its processes run as it). */
  uid: number;
  /** A service endpoint by name: 'api', 'postgres', 'redis'. */
  service(name: 'api' | 'postgres' | 'redis'): ServiceEndpoint;
  /** HTTP to the API: status, headers and JSON (or text) body. */
  http(method: string, path: string, options?: { body?: unknown; token?: string; timeoutMs?: number }): Promise<HttpAnswer>;
  /** Registers a user and returns a bearer token for /api/events. */
  registerUser(username?: string): Promise<string>;
  /** Stops the stack and asserts nothing of it is left (no process of its uid, no mount, no dir). */
  stop(): Promise<void>;
}

/** One HTTP answer. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  ms: number;
}

/** Starts a stack (guardrails on unless told otherwise). */
export async function startTestWebstack(options: WebstackOptions = {}): Promise<TestWebstack> {
  const target = await startWebstack(options);
  const uid = target.state.runAs?.uid ?? process.getuid!();
  const api = target.services.find((service) => service.name === 'api')!;
  const http = (method: string, path: string, extra: { body?: unknown; token?: string; timeoutMs?: number } = {}) => sendHttp(api.port, method, path, extra);
  let counter = 0;
  return {
    target,
    dir: target.dir,
    uid,
    service: (name) => target.services.find((service) => service.name === name)!,
    http,
    async registerUser(username = `user-${process.pid}-${++counter}`) {
      const answer = await http('POST', '/api/auth/register', { body: { username } });
      if (answer.status !== 201) throw new Error(`register ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return (answer.body as { token: string }).token;
    },
    async stop() {
      const report = await stopWebstack(target.dir);
      if (!report.complete) throw new Error(`the web stack in ${target.dir} was not fully stopped: ${report.left.join('; ')}`);
      assertNothingLeft(target.dir, uid);
    },
  };
}

/** Throws naming what a stopped stack left: processes of its uid, a mount under its dir, the dir itself. */
export function assertNothingLeft(dir: string, uid: number): void {
  const problems: string[] = [];
  if (uid !== process.getuid?.()) {
    // Zombies excluded: a supervisor started by a CLI that exited is reparented to pid 1, which reaps in its own time.
    const left = listUidProcesses(uid);
    if (left.length > 0) problems.push(`processes of uid ${uid}: ${left.map((entry) => entry.pid).join(', ')}`);
  }
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((line) => (line.split(' ')[4] ?? '').startsWith(dir));
  if (mounts.length > 0) problems.push(`mounts under ${dir}`);
  if (existsSync(dir)) problems.push(`${dir} still exists`);
  if (problems.length > 0) throw new Error(`the web stack left: ${problems.join('; ')}`);
}

/** One HTTP request to 127.0.0.1:port (no keep-alive). */
export function sendHttp(port: number, method: string, path: string, options: { body?: unknown; token?: string; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const started = performance.now();
  const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent: false,
        timeout: options.timeoutMs ?? 5000,
        headers: { ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON.
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed, ms: performance.now() - started });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${options.timeoutMs ?? 5000} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `check` every 100 ms until it returns true; throws after `timeoutMs` with `what`. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await Promise.resolve().then(check).catch(() => false)) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `pid` and its descendants (PostgreSQL's backends are children of the postmaster: stopping it alone hangs only new connections). */
export function listProcessTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone.
    }
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index++) for (const [child, parent] of parents) if (parent === tree[index]) tree.push(child);
  return tree;
}

/** Sends `signal` to every process of a tree (see listProcessTree); gone ones are skipped. */
export function signalTree(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone.
    }
  }
}
