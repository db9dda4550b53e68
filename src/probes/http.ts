// Probe: an HTTP endpoint answers with the expected status within a latency budget (polled).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Type } from '@sinclair/typebox';
import { monotonicMs } from '../util/clock.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { portParams, readPort } from './port.js';

export default defineProbe({
  type: 'http',
  summary: 'passes while GET url answers with an expected status (and body match) within latencyMs',
  params: defineProbeParams('http', {
    url: Type.String({ minLength: 1, description: 'URL to GET; "{port}" is replaced by port or the content of portFile (http://127.0.0.1:{port}/health).' }),
    ...portParams,
    status: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1, default: [200], description: 'Accepted status codes.' })),
    latencyMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, description: 'Latency budget: a slower answer fails.' })),
    bodyMatches: Type.Optional(Type.String({ description: 'Regular expression the body must match.' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, default: 2000, description: 'Give up after this long.' })),
  }, 'An HTTP endpoint is healthy.'),
  defaultIntervalMs: 100,
  create(params, { target }) {
    const accepted = params.status ?? [200];
    const body = params.bodyMatches === undefined ? undefined : new RegExp(params.bodyMatches, 'm');
    const timeoutMs = params.timeoutMs ?? 2000;
    return {
      async check() {
        let url = params.url;
        if (url.includes('{port}')) {
          const resolved = await readPort(target, params);
          if (!('port' in resolved)) return { ok: false, detail: resolved.detail };
          url = url.replaceAll('{port}', String(resolved.port));
        }
        const started = monotonicMs();
        const answer = await get(url, timeoutMs);
        const latency = monotonicMs() - started;
        if ('error' in answer) return { ok: false, detail: `GET ${url}: ${answer.error}` };
        if (!accepted.includes(answer.status)) return { ok: false, detail: `GET ${url}: status ${answer.status}, expected ${accepted.join(' or ')}` };
        if (params.latencyMs !== undefined && latency > params.latencyMs) return { ok: false, detail: `GET ${url}: ${latency.toFixed(1)} ms (> ${params.latencyMs} ms)` };
        if (body && !body.test(answer.body)) return { ok: false, detail: `GET ${url}: body does not match /${params.bodyMatches}/` };
        return { ok: true };
      },
    };
  },
});

// One GET on a fresh connection (no keep-alive: each check proves the server still accepts).
function get(url: string, timeoutMs: number): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return resolve({ error: 'not a valid URL' });
    }
    const request = (parsed.protocol === 'https:' ? httpsRequest : httpRequest)(parsed, { method: 'GET', agent: false, timeout: timeoutMs }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (text.length < 64 * 1024) text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', (error) => resolve({ error: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end();
  });
}
