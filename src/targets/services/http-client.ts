// One HTTP request with a JSON body to a target's http service, on a fresh connection: the sql.rows
// canary writes through the application's own API this way, as its clients do.
import { request } from 'node:http';
import type { ServiceEndpoint } from '../types.js';

/** The answer (status and at most 64 KiB of body), or why there was none. */
export type HttpAnswer = { status: number; body: string } | { error: string };

/** Sends `body` to `path` on the service; never throws. */
export function sendHttp(service: ServiceEndpoint, options: { method: string; path: string; body?: string; headers?: Record<string, string>; timeoutMs: number }): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const payload = options.body === undefined ? undefined : Buffer.from(options.body);
    const outgoing = request({
      host: service.host,
      port: service.port,
      method: options.method,
      path: options.path,
      agent: false,
      timeout: options.timeoutMs,
      headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}), ...options.headers },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (text.length < 64 * 1024) text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', (error) => resolve({ error: error.message }));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    outgoing.end(payload);
  });
}
