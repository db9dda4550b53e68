// The userspace TCP fault proxy: sits in front of one dependency and forwards each connection, adding
// latency with jitter, limiting bandwidth, resetting connections or swallowing them (a blackhole).
// It covers what tc netem would do on kernels that lack netem (this one does). Randomness is seeded, so a
// scenario's jitter and reset choices are reproducible. With no fault set it is a plain relay
// (`npm run bench:proxy` measures what that costs).
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createRandom } from '../util/random.js';

/** What the proxy does to the traffic it forwards; all optional (none = a plain relay). */
export interface FaultProxyOptions {
  /** Added one-way delay per chunk, both directions, in ms. */
  latencyMs?: number;
  /** Uniform jitter ± this many ms around latencyMs (never below zero; order is kept). */
  jitterMs?: number;
  /** Bytes per second per direction, shared by all connections (a thin link). */
  bytesPerSecond?: number;
  /** Share (0–1) of new connections that are reset (TCP RST to the client, upstream closed). */
  resetProbability?: number;
  /** A reset connection is reset after this many bytes from the client (default 0: at once). */
  resetAfterBytes?: number;
  /** Share (0–1) of new connections swallowed: accepted, never forwarded, never answered. */
  blackholeProbability?: number;
  /** Seed of the proxy's random choices. */
  seed?: number;
}

/** Where the proxy listens and what it forwards to. */
export interface FaultProxyAddress {
  listenHost: string;
  listenPort: number;
  upstreamHost: string;
  upstreamPort: number;
}

/** Counters a test or the journal can read. */
export interface FaultProxyStats {
  connections: number;
  resets: number;
  blackholed: number;
  bytesUp: number;
  bytesDown: number;
}

// Buffered bytes per direction before the sender is paused (bounds memory under a slow link).
const HIGH_WATER = 1 << 20;

/** A running proxy: its port, its counters, close(). */
export interface FaultProxy {
  readonly port: number;
  readonly stats: FaultProxyStats;
  close(): Promise<void>;
}

// One direction of one connection: chunks leave in order, each no earlier than its due time, and no
// faster than the shared link allows.
class Pipe {
  #lastDue = 0;
  #queued = 0;
  constructor(
    readonly from: Socket,
    readonly to: Socket,
    readonly delay: () => number,
    readonly link: { freeAt: number; bytesPerSecond?: number },
    readonly count: (bytes: number) => void,
  ) {
    from.on('data', (chunk: Buffer) => this.#push(chunk));
  }

  #push(chunk: Buffer): void {
    this.count(chunk.length);
    const delay = this.delay();
    if (delay <= 0 && this.link.bytesPerSecond === undefined && this.#queued === 0) {
      if (!this.to.write(chunk)) this.#pauseUntilDrained();
      return;
    }
    const now = performance.now();
    let due = Math.max(now + delay, this.#lastDue);
    if (this.link.bytesPerSecond !== undefined) {
      // A chunk leaves once it has been "transmitted" at the link's rate after whatever is ahead of it.
      due = Math.max(due, this.link.freeAt) + (chunk.length / this.link.bytesPerSecond) * 1000;
      this.link.freeAt = due;
    }
    this.#lastDue = due;
    this.#queued += chunk.length;
    if (this.#queued > HIGH_WATER) this.from.pause();
    setTimeout(() => {
      this.#queued -= chunk.length;
      if (!this.to.destroyed) this.to.write(chunk);
      if (this.#queued <= HIGH_WATER && this.from.isPaused()) this.from.resume();
    }, Math.max(0, due - now));
  }

  #pauseUntilDrained(): void {
    this.from.pause();
    this.to.once('drain', () => this.from.resume());
  }

  /** Ends `to` once everything queued has left. */
  endWhenFlushed(): void {
    const wait = Math.max(0, this.#lastDue - performance.now());
    setTimeout(() => this.to.end(), wait + 1);
  }
}

/** Starts a proxy; resolves once it listens. */
export async function startFaultProxy(address: FaultProxyAddress, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const random = createRandom(options.seed ?? 1);
  const stats: FaultProxyStats = { connections: 0, resets: 0, blackholed: 0, bytesUp: 0, bytesDown: 0 };
  const latency = options.latencyMs ?? 0;
  const jitter = options.jitterMs ?? 0;
  const delay = () => (jitter > 0 ? Math.max(0, latency + (random() * 2 - 1) * jitter) : latency);
  const up = { freeAt: 0, ...(options.bytesPerSecond ? { bytesPerSecond: options.bytesPerSecond } : {}) };
  const down = { freeAt: 0, ...(options.bytesPerSecond ? { bytesPerSecond: options.bytesPerSecond } : {}) };
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  };

  const server: Server = createServer({ noDelay: true }, (client) => {
    stats.connections += 1;
    track(client);
    // Draw every choice in the same order for each connection, so a seed gives the same sequence.
    const blackhole = random() < (options.blackholeProbability ?? 0);
    const reset = random() < (options.resetProbability ?? 0);
    if (blackhole) {
      stats.blackholed += 1;
      client.resume(); // Read and discard: the peer's writes succeed, nothing ever answers.
      return;
    }
    if (reset && (options.resetAfterBytes ?? 0) === 0) {
      stats.resets += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect({ host: address.upstreamHost, port: address.upstreamPort, noDelay: true });
    track(upstream);
    let sentUp = 0;
    const toUpstream = new Pipe(client, upstream, delay, up, (bytes) => {
      stats.bytesUp += bytes;
      sentUp += bytes;
      if (reset && sentUp >= (options.resetAfterBytes ?? 0) && !client.destroyed) {
        stats.resets += 1;
        client.resetAndDestroy();
        upstream.destroy();
      }
    });
    const toClient = new Pipe(upstream, client, delay, down, (bytes) => (stats.bytesDown += bytes));
    client.on('end', () => toUpstream.endWhenFlushed());
    upstream.on('end', () => toClient.endWhenFlushed());
    // An upstream that refuses or dies resets the client, as a dead server would.
    upstream.on('error', () => {
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.listenPort, address.listenHost, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stats,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
