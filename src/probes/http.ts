// Probe: an HTTP endpoint answers with an expected status, within a latency budget, with the body it
// should have (a regular expression, a substring, values at JSON paths). Polled: its resolution is the
// polling interval plus the request's own time. The endpoint is a URL, or a service the target declares.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Type } from '@sinclair/typebox';
import { monotonicMs } from '../util/clock.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { portParams, readPort } from './port.js';
import { equalsJson, parseJsonPath, readJsonPath } from './json-path.js';

const MAX_BODY = 64 * 1024;

export default defineProbe({
  type: 'http',
  summary: 'passes while GET url (or a declared http service) answers with an expected status, body and JSON values within latencyMs',
  params: defineProbeParams('http', {
    url: Type.Optional(Type.String({ minLength: 1, description: 'URL to GET; "{port}" is replaced by port or the content of portFile (http://127.0.0.1:{port}/health). Or give service.' })),
    service: Type.Optional(Type.String({ minLength: 1, description: 'An http service the target declares (services capability), e.g. "api": its address, with path.' })),
    path: Type.Optional(Type.String({ pattern: '^/', description: 'With service: the path to GET (default /).' })),
    ...portParams,
    status: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1, default: [200], description: 'Accepted status codes.' })),
    latencyMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, description: 'Latency budget: a slower answer fails.' })),
    bodyMatches: Type.Optional(Type.String({ description: 'Regular expression the body must match.' })),
    bodyContains: Type.Optional(Type.String({ minLength: 1, description: 'Text the body must contain.' })),
    json: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String({ description: 'Dot-separated keys with [n] indices into the JSON body ("checks.redis.ok", "failed[0]"); "" is the whole body.' }),
          equals: Type.Unknown({ description: 'The JSON value expected there.' }),
        }, { additionalProperties: false }),
        { minItems: 1, description: 'Values the JSON body must hold: every one must equal.' },
      ),
    ),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, default: 2000, description: 'Give up after this long.' })),
  }, 'An HTTP endpoint is healthy.'),
  defaultIntervalMs: 100,
  checkParams(params) {
    if ((params.url === undefined) === (params.service === undefined)) return { field: params.url === undefined ? 'url' : 'service', message: 'give exactly one of url or service' };
    if (params.path !== undefined && params.service === undefined) return { field: 'path', message: 'path goes with service (put it in url otherwise)' };
    for (const [index, check] of (params.json ?? []).entries()) {
      if (!parseJsonPath(check.path)) return { field: `json[${index}].path`, message: `not a JSON path: ${JSON.stringify(check.path)} (keys separated by dots, indices as [n])` };
    }
    return undefined;
  },
  create(params, { target }) {
    const accepted = params.status ?? [200];
    const body = params.bodyMatches === undefined ? undefined : new RegExp(params.bodyMatches, 'm');
    const timeoutMs = params.timeoutMs ?? 2000;
    const jsonChecks = (params.json ?? []).map((check) => ({ ...check, parts: parseJsonPath(check.path) ?? [] }));
    const resolveUrl = async (): Promise<{ url: string } | { detail: string }> => {
      if (params.service !== undefined) {
        const service = target.services?.find((entry) => entry.name === params.service);
        if (!service) return { detail: `the target declares no service ${params.service} (has: ${target.services?.map((entry) => entry.name).join(', ') || 'none'})` };
        if (service.kind !== 'http') return { detail: `service ${service.name} is ${service.kind}, not http` };
        if (service.namespace) return { detail: `service ${service.name} listens in network namespace ${service.namespace}: the http probe reaches the host's network only` };
        return { url: `http://${service.host.includes(':') ? `[${service.host}]` : service.host}:${service.port}${params.path ?? '/'}` };
      }
      let url = params.url!;
      if (url.includes('{port}')) {
        const resolved = await readPort(target, params);
        if (!('port' in resolved)) return { detail: resolved.detail };
        url = url.replaceAll('{port}', String(resolved.port));
      }
      return { url };
    };
    return {
      async check() {
        const resolved = await resolveUrl();
        if ('detail' in resolved) return { ok: false, detail: resolved.detail };
        const { url } = resolved;
        const started = monotonicMs();
        const answer = await get(url, timeoutMs);
        const latency = monotonicMs() - started;
        if ('error' in answer) return { ok: false, detail: `GET ${url}: ${answer.error}` };
        if (!accepted.includes(answer.status)) return { ok: false, detail: `GET ${url}: status ${answer.status}, expected ${accepted.join(' or ')}` };
        if (params.latencyMs !== undefined && latency > params.latencyMs) return { ok: false, detail: `GET ${url}: ${latency.toFixed(1)} ms (> ${params.latencyMs} ms)` };
        if (body && !body.test(answer.body)) return { ok: false, detail: `GET ${url}: body does not match /${params.bodyMatches}/` };
        if (params.bodyContains !== undefined && !answer.body.includes(params.bodyContains)) return { ok: false, detail: `GET ${url}: body does not contain ${JSON.stringify(params.bodyContains)}` };
        if (jsonChecks.length > 0) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(answer.body);
          } catch {
            return { ok: false, detail: `GET ${url}: body is not JSON${answer.truncated ? ` (cut at ${MAX_BODY} bytes)` : ''}` };
          }
          for (const check of jsonChecks) {
            const found = readJsonPath(parsed, check.parts);
            if ('missing' in found) return { ok: false, detail: `GET ${url}: JSON has no ${found.missing}` };
            if (!equalsJson(found.value, check.equals)) return { ok: false, detail: `GET ${url}: JSON ${check.path || '(body)'} is ${truncate(JSON.stringify(found.value))}, expected ${truncate(JSON.stringify(check.equals))}` };
          }
        }
        return { ok: true };
      },
    };
  },
});

function truncate(text: string | undefined): string {
  const value = text ?? 'undefined';
  return value.length > 120 ? `${value.slice(0, 120)}…` : value;
}

// One GET on a fresh connection (no keep-alive: each check proves the server still accepts).
function get(url: string, timeoutMs: number): Promise<{ status: number; body: string; truncated: boolean } | { error: string }> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return resolve({ error: 'not a valid URL' });
    }
    const request = (parsed.protocol === 'https:' ? httpsRequest : httpRequest)(parsed, { method: 'GET', agent: false, timeout: timeoutMs }, (response) => {
      let text = '';
      let truncated = false;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (text.length < MAX_BODY) text += chunk;
        else truncated = true;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text, truncated }));
      response.on('error', (error) => resolve({ error: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end();
  });
}
