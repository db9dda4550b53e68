// Benchmark: what the userspace fault proxy costs with no fault active, beside a direct connection on
// loopback. Latency: 10,000 sequential 64-byte round trips over one connection to an echo server, p50 and
// p99 of each, and the difference (the proxy's added latency). Throughput: 256 MiB streamed to a sink,
// MiB/s of each. The proxy runs as its own process (dist/net/fault-proxy-main.js), as faults run it; the
// echo server runs in another process, so client and server do not share an event loop.
// Budgets (exit 1 on a miss): added p50 ≤ 1 ms, added p99 ≤ 5 ms, proxy throughput ≥ 25% of direct and
// ≥ 100 MiB/s. Run with `npm run bench:proxy` (builds first).
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

const ROUND_TRIPS = 10_000;
const WARMUP = 500;
const STREAM_BYTES = 256 * 1024 * 1024;
const BUDGET = { addedP50Ms: 1, addedP99Ms: 5, throughputShare: 0.25, throughputMiBps: 100 };
const dist = join(import.meta.dirname, '..', 'dist', 'net', 'fault-proxy-main.js');

// An echo server (mode echo) or a sink that answers one byte once it has read STREAM_BYTES (mode sink).
const serverScript = `
const net = require('net');
const server = net.createServer({ noDelay: true }, (s) => {
  let n = 0;
  s.on('data', (d) => {
    if (s.mode === undefined) s.mode = d[0] === 0x53 ? 'sink' : 'echo';
    if (s.mode === 'echo') return void s.write(d);
    n += d.length;
    if (n >= ${STREAM_BYTES} + 1) s.write('k');
  });
  s.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

function startChild(args, label) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (data) => resolve({ child, line: String(data).trim() }));
    child.once('exit', (code) => reject(new Error(`${label} exited (${code}) before it listened`)));
  });
}

function open(port) {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

// Round trips on one open connection, appended to `times` (after `warmup` unrecorded ones).
function roundTrips(socket, count, warmup, times) {
  const payload = Buffer.alloc(64, 0x61);
  return new Promise((resolve) => {
    let received = 0;
    let started = 0;
    let done = 0;
    const send = () => {
      received = 0;
      started = performance.now();
      socket.write(payload);
    };
    const onData = (data) => {
      received += data.length;
      if (received < payload.length) return;
      if (done >= warmup) times.push(performance.now() - started);
      done += 1;
      if (done < warmup + count) send();
      else {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    send();
  });
}

// Direct and proxied round trips alternate in batches, so load from others on the host hits both alike.
async function measureRoundTrips(directPort, proxyPort) {
  const sockets = [await open(directPort), await open(proxyPort)];
  const times = [[], []];
  const batches = 10;
  for (let batch = 0; batch < batches; batch += 1) {
    for (const i of [0, 1]) await roundTrips(sockets[i], ROUND_TRIPS / batches, batch === 0 ? WARMUP : 0, times[i]);
  }
  for (const socket of sockets) socket.destroy();
  return times.map((list) => {
    list.sort((a, b) => a - b);
    const at = (q) => list[Math.min(list.length - 1, Math.floor(q * list.length))];
    return { p50: at(0.5), p99: at(0.99), n: list.length };
  });
}

async function measureThroughput(port) {
  const socket = await open(port);
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  const started = performance.now();
  await new Promise((resolve, reject) => {
    socket.once('data', () => resolve());
    socket.once('error', reject);
    socket.write('S');
    let sent = 0;
    const pump = () => {
      while (sent < STREAM_BYTES) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
  const seconds = (performance.now() - started) / 1000;
  socket.destroy();
  return STREAM_BYTES / (1024 * 1024) / seconds;
}

const server = await startChild(['-e', serverScript], 'echo server');
const serverPort = Number(server.line);
const proxyConfig = { address: { listenHost: '127.0.0.1', listenPort: 0, upstreamHost: '127.0.0.1', upstreamPort: serverPort }, options: {} };
const proxy = await startChild([dist, JSON.stringify(proxyConfig)], 'fault proxy');
const proxyPort = JSON.parse(proxy.line).port;
let failed = false;
try {
  const [direct, proxied] = await measureRoundTrips(serverPort, proxyPort);
  const directMiBps = await measureThroughput(serverPort);
  const proxiedMiBps = await measureThroughput(proxyPort);
  const added = { p50: proxied.p50 - direct.p50, p99: proxied.p99 - direct.p99 };
  const f = (ms) => `${ms.toFixed(3)} ms`;
  console.log(`fault proxy, no fault active, loopback (${direct.n} round trips of 64 bytes each, after ${WARMUP} warm-up, direct and proxied alternating in batches of 1,000; ${STREAM_BYTES / 1024 / 1024} MiB streamed)`);
  console.log(`  round trip   direct p50 ${f(direct.p50)}  p99 ${f(direct.p99)}`);
  console.log(`               proxy  p50 ${f(proxied.p50)}  p99 ${f(proxied.p99)}`);
  console.log(`               added  p50 ${f(added.p50)} (budget ≤ ${BUDGET.addedP50Ms} ms)  p99 ${f(added.p99)} (budget ≤ ${BUDGET.addedP99Ms} ms)`);
  console.log(`  throughput   direct ${directMiBps.toFixed(0)} MiB/s  proxy ${proxiedMiBps.toFixed(0)} MiB/s (${((proxiedMiBps / directMiBps) * 100).toFixed(0)}% of direct; budget ≥ ${BUDGET.throughputShare * 100}% and ≥ ${BUDGET.throughputMiBps} MiB/s)`);
  const misses = [
    added.p50 > BUDGET.addedP50Ms && `added p50 ${f(added.p50)} > ${BUDGET.addedP50Ms} ms`,
    added.p99 > BUDGET.addedP99Ms && `added p99 ${f(added.p99)} > ${BUDGET.addedP99Ms} ms`,
    proxiedMiBps < directMiBps * BUDGET.throughputShare && `proxy throughput below ${BUDGET.throughputShare * 100}% of direct`,
    proxiedMiBps < BUDGET.throughputMiBps && `proxy throughput below ${BUDGET.throughputMiBps} MiB/s`,
  ].filter(Boolean);
  for (const miss of misses) console.log(`  MISS: ${miss}`);
  failed = misses.length > 0;
  console.log(failed ? 'bench:proxy: budget missed' : 'bench:proxy: within budget');
} finally {
  proxy.child.kill('SIGTERM');
  server.child.kill('SIGTERM');
}
process.exitCode = failed ? 1 : 0;
