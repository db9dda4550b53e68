// The http probe's body checks (a substring, values at JSON paths), its service form (an http service
// the target declares) and the params validate refuses. Loopback servers only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import httpProbe from '../../src/probes/http.js';
import type { Target } from '../../src/targets/types.js';
import { check, createSandbox, type Sandbox } from './helpers.js';
import { parseYamlDocuments } from '../../src/scenario/positions.js';
import { checkScenarioParams } from '../../src/validate/check-params.js';
import { explainProbe as explainSchema } from './validation.js';

// The schema's problems and then the probe's own checkParams, as `faultline validate` reports them.
function explainProbe(probeYaml: string): string[] {
  const schema = explainSchema(probeYaml);
  if (schema.length > 0) return schema;
  const [document] = parseYamlDocuments(`id: ok\ntitle: T\nsteadyState:\n  - ${probeYaml}\nfault:\n  type: tmux.kill-session\n  session: s\n`);
  return checkScenarioParams({ file: 'x.yaml', path: [], value: document!.value, positions: document!.positions }).map((problem) => `${problem.path}: ${problem.message}`);
}

let sandbox: Sandbox;
let server: Server;
let body = '';
let delayMs = 0;

beforeEach(async () => {
  sandbox = createSandbox();
  body = JSON.stringify({ status: 'ok', failed: [], checks: { redis: { ok: true, ms: 0.4 } } });
  delayMs = 0;
  server = createServer((_request, response) => setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(body), delayMs));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await sandbox.dispose();
});

const port = () => (server.address() as AddressInfo).port;

describe('http probe body checks', () => {
  test('bodyContains and json path checks pass on the expected body and fail naming what differs', async () => {
    const url = `http://127.0.0.1:${port()}/health`;
    const [contains, json] = sandbox.probes([
      { probe: 'http', url, bodyContains: '"status":"ok"' },
      { probe: 'http', url, json: [{ path: 'status', equals: 'ok' }, { path: 'checks.redis.ok', equals: true }, { path: 'failed', equals: [] }] },
    ]);
    expect(await check(contains!)).toEqual({ ok: true });
    expect(await check(json!)).toEqual({ ok: true });
    body = JSON.stringify({ status: 'fail', failed: ['redis'], checks: { redis: { ok: false } } });
    expect(await check(contains!)).toEqual({ ok: false, detail: `GET ${url}: body does not contain "\\"status\\":\\"ok\\""` });
    expect(await check(json!)).toEqual({ ok: false, detail: `GET ${url}: JSON status is "fail", expected "ok"` });
    body = JSON.stringify({ status: 'ok', failed: [] });
    expect(await check(json!)).toEqual({ ok: false, detail: `GET ${url}: JSON has no checks` });
    body = 'not json';
    expect(await check(json!)).toEqual({ ok: false, detail: `GET ${url}: body is not JSON` });
  });

  test('an index in a path reads an array element; objects compare regardless of key order', async () => {
    body = JSON.stringify({ failed: ['redis', 'postgres'], checks: { a: 1, b: 2 } });
    const [probe] = sandbox.probes([{ probe: 'http', url: `http://127.0.0.1:${port()}/`, json: [{ path: 'failed[1]', equals: 'postgres' }, { path: 'checks', equals: { b: 2, a: 1 } }] }]);
    expect(await check(probe!)).toEqual({ ok: true });
    body = JSON.stringify({ failed: ['redis'], checks: { a: 1, b: 2 } });
    expect(await check(probe!)).toMatchObject({ ok: false, detail: expect.stringContaining('JSON has no failed[1]') });
  });

  test('service: the URL comes from an http service the target declares, with path; a missing or non-http service fails saying so', async () => {
    const target: Target = {
      ...sandbox.target,
      capabilities: ['services'],
      services: [
        { name: 'api', kind: 'http', host: '127.0.0.1', port: port() },
        { name: 'redis', kind: 'redis', host: '127.0.0.1', port: 1 },
      ],
    };
    const probe = (params: Record<string, unknown>) => httpProbe.create({ probe: 'http', ...params }, { target } as never);
    expect(await probe({ service: 'api', path: '/health', json: [{ path: 'status', equals: 'ok' }] }).check()).toEqual({ ok: true });
    delayMs = 60;
    expect(await probe({ service: 'api', path: '/health', latencyMs: 20 }).check()).toMatchObject({ ok: false, detail: expect.stringMatching(/ms \(> 20 ms\)$/) });
    expect(await probe({ service: 'db' }).check()).toEqual({ ok: false, detail: 'the target declares no service db (has: api, redis)' });
    expect(await probe({ service: 'redis' }).check()).toEqual({ ok: false, detail: 'service redis is redis, not http' });
  });

  test('validate refuses url with service, neither, path without service, and a malformed JSON path', () => {
    expect(explainProbe("{ probe: http, url: 'http://127.0.0.1:1/', service: api }")).toEqual(['steadyState.0.service: give exactly one of url or service']);
    expect(explainProbe('{ probe: http }')).toEqual(['steadyState.0.url: give exactly one of url or service']);
    expect(explainProbe("{ probe: http, url: 'http://127.0.0.1:1/', path: /x }")).toEqual(['steadyState.0.path: path goes with service (put it in url otherwise)']);
    expect(explainProbe("{ probe: http, service: api, json: [{ path: 'a..b', equals: 1 }] }")).toEqual(['steadyState.0.json[0].path: not a JSON path: "a..b" (keys separated by dots, indices as [n])']);
    expect(explainProbe("{ probe: http, service: api, path: /health, bodyContains: ok, json: [{ path: 'checks.redis.ok', equals: true }] }")).toEqual([]);
  });
});
