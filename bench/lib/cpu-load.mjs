// The loaded rows of bench:accuracy: plain busy loops at normal priority, one per core, that the
// benchmark starts and stops itself (other work on a shared host adds to them, and is printed).
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

/** Starts one busy loop per core; returns the function that stops them all. */
export function startCpuLoad(count = cpus().length) {
  const loops = Array.from({ length: count }, () => spawn('/bin/sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
  const stop = () => {
    for (const loop of loops) if (loop.exitCode === null && loop.signalCode === null) loop.kill('SIGKILL');
  };
  process.once('exit', stop);
  return stop;
}

/** "1.23 0.98 0.50" */
export function formatLoad() {
  return loadavg().map((value) => value.toFixed(2)).join(' ');
}
