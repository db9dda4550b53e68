// Waiting for a starting stack: /health must answer 200 before the deadline, while the supervisor lives.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { isPidAlive } from '../../util/pid.js';
import type { WebstackPaths } from './paths.js';

/** GET /health once; its status and parsed body (undefined when it did not answer within `timeoutMs`). */
export function fetchHealth(port: number, timeoutMs = 1500): Promise<{ status: number; body: unknown } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', method: 'GET', timeout: timeoutMs, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** Resolves once /health answers 200; throws when the deadline passes or the supervisor died. */
export async function waitForHealth(port: number, options: { timeoutMs: number; supervisorPid: number }): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  let last = 'no answer';
  for (;;) {
    const answer = await fetchHealth(port);
    if (answer?.status === 200) return;
    if (answer) last = `${answer.status} ${JSON.stringify(answer.body)}`;
    if (!isPidAlive(options.supervisorPid)) throw new Error(`the stack's supervisor (pid ${options.supervisorPid}) exited during start-up`);
    if (performance.now() > deadline) throw new Error(`/health on 127.0.0.1:${port} did not pass within ${options.timeoutMs} ms (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The last lines of each log, for an error message (before stop removes them). */
export function readLogTails(paths: WebstackPaths, lines = 6): string {
  const parts: string[] = [];
  for (const name of ['supervisor.out', 'postgres.log', 'redis.log', 'api.log', 'scheduler.log']) {
    try {
      const text = readFileSync(join(paths.logsDir, name), 'utf8').trim();
      if (text) parts.push(`  ${name}:\n${text.split('\n').slice(-lines).map((line) => `    ${line.slice(0, 300)}`).join('\n')}`);
    } catch {
      // Not written.
    }
  }
  return parts.length > 0 ? `\n${parts.join('\n')}` : '';
}
