// Small real TCP servers and clients for the network-fault tests: an echo server, a round trip with a
// deadline, and a fake Target holding just what net faults read (name, services).
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { ServiceEndpoint, Target } from '../../src/targets/types.js';

/** An echo server on host:0; resolves with it and its port. */
export async function startEchoServer(host = '127.0.0.1'): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Connects, sends `text`, resolves with what came back, or rejects (error or no answer within timeoutMs). */
export function roundTrip(host: string, port: number, text = 'ping', timeoutMs = 1500): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.write(text));
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk) => {
      data += String(chunk);
      if (data.length >= text.length) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** An open connection that echoes: send a line and wait for it back, with a deadline. */
export async function openEchoConnection(host: string, port: number): Promise<{ echo(text: string, timeoutMs?: number): Promise<string>; close(): void }> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(port, host, () => resolve(s));
    s.once('error', reject);
  });
  socket.on('error', () => {});
  return {
    echo: (text, timeoutMs = 1500) => new Promise((resolve, reject) => {
      let data = '';
      const onData = (chunk: Buffer) => {
        data += String(chunk);
        if (data.length >= text.length) finish(() => resolve(data));
      };
      const timer = setTimeout(() => finish(() => reject(new Error('no echo'))), timeoutMs);
      const finish = (then: () => void) => {
        clearTimeout(timer);
        socket.off('data', onData);
        then();
      };
      socket.on('data', onData);
      socket.write(text);
    }),
    close: () => socket.destroy(),
  };
}

/** A target with only what net faults read: its name and its services. */
export function createServiceTarget(services: ServiceEndpoint[] = []): Target {
  return {
    name: 'net-test',
    driver: 'external',
    capabilities: services.length > 0 ? ['services'] : [],
    home: '/nonexistent',
    roots: [],
    env: {},
    ...(services.length > 0 ? { services } : {}),
    resolvePath: (path: string) => path,
    tmux: async () => { throw new Error('no tmux'); },
    describe: () => ({}),
  } as Target;
}
