// Entry script of the healer, a detached process outside tmux: `node healer.js <dir>`. It stops on
// SIGTERM, SIGINT or SIGHUP, when <dir> disappears or <dir>/run/stop appears; the loop is heal-loop.ts.
import { resolve } from 'node:path';
import { runHealer } from './heal-loop.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: healer.js <dir>\n');
  process.exitCode = 2;
} else {
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop.abort());
  const problem = await runHealer(resolve(dir), stop.signal);
  if (problem) {
    process.stderr.write(`healer: ${problem}\n`);
    process.exitCode = 2;
  }
}
