import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { check, createSandbox, type Sandbox } from './helpers.js';

let sandbox: Sandbox;
let server: Server;
let status = 200;
let delayMs = 0;

function listen(target: { listen(port: number, host: string, done: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => target.listen(0, '127.0.0.1', resolve));
}

beforeEach(async () => {
  sandbox = createSandbox();
  status = 200;
  delayMs = 0;
  server = createServer((request, response) => {
    setTimeout(() => {
      response.writeHead(status);
      response.end(request.url === '/health' ? 'ok healthy' : 'other');
    }, delayMs);
  });
  await listen(server);
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await sandbox.dispose();
});

const portOf = (target: { address(): unknown }) => (target.address() as AddressInfo).port;

describe('network probes (loopback servers only)', () => {
  test('http: status, body and latency budget; the port can come from a file', async () => {
    writeFileSync(join(sandbox.dir, 'health.port'), `${portOf(server)}\n`);
    const [health, fromFile, strict] = sandbox.probes([
      { probe: 'http', url: `http://127.0.0.1:${portOf(server)}/health`, bodyMatches: 'healthy' },
      { probe: 'http', url: 'http://127.0.0.1:{port}/health', portFile: 'health.port' },
      { probe: 'http', url: `http://127.0.0.1:${portOf(server)}/health`, latencyMs: 30 },
    ]);
    expect(await check(health!)).toEqual({ ok: true });
    expect(await check(fromFile!)).toEqual({ ok: true });
    status = 503;
    expect(await check(health!)).toMatchObject({ ok: false, detail: expect.stringContaining('status 503, expected 200') });
    status = 200;
    delayMs = 80;
    expect(await check(strict!)).toMatchObject({ ok: false, detail: expect.stringMatching(/ms \(> 30 ms\)$/) });
    await new Promise((resolve) => server.close(resolve));
    expect(await check(health!)).toMatchObject({ ok: false, detail: expect.stringContaining('ECONNREFUSED') });
    server = createServer();
  });

  test('tcp: passes while the port accepts connections', async () => {
    const tcp = createTcpServer((socket) => socket.end());
    await listen(tcp);
    const port = portOf(tcp);
    const [open] = sandbox.probes([{ probe: 'tcp', port }]);
    expect(await check(open!)).toEqual({ ok: true });
    await new Promise((resolve) => tcp.close(resolve));
    expect(await check(open!)).toEqual({ ok: false, detail: `127.0.0.1:${port}: ECONNREFUSED` });
  });
});
