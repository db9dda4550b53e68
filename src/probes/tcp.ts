// Probe: a TCP port accepts connections (connect, then close; polled).
import { connect } from 'node:net';
import { Type } from '@sinclair/typebox';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { portParams, readPort } from './port.js';

export default defineProbe({
  type: 'tcp',
  summary: 'passes while a TCP connection to host:port succeeds within timeoutMs',
  params: defineProbeParams('tcp', {
    host: Type.Optional(Type.String({ minLength: 1, default: '127.0.0.1', description: 'Host to connect to.' })),
    ...portParams,
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, default: 1000, description: 'Connect timeout.' })),
  }, 'A TCP port accepts connections.'),
  defaultIntervalMs: 100,
  create(params, { target }) {
    const host = params.host ?? '127.0.0.1';
    const timeoutMs = params.timeoutMs ?? 1000;
    return {
      async check() {
        const resolved = await readPort(target, params);
        if (!('port' in resolved)) return { ok: false, detail: resolved.detail };
        return new Promise((resolve) => {
          const socket = connect({ host, port: resolved.port });
          const timer = setTimeout(() => finish({ ok: false, detail: `no connection to ${host}:${resolved.port} within ${timeoutMs} ms` }), timeoutMs);
          socket.once('connect', () => finish({ ok: true }));
          socket.once('error', (error: NodeJS.ErrnoException) => finish({ ok: false, detail: `${host}:${resolved.port}: ${error.code ?? error.message}` }));
          function finish(result: { ok: boolean; detail?: string }) {
            clearTimeout(timer);
            socket.destroy();
            resolve(result);
          }
        });
      },
    };
  },
});
