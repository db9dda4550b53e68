// The agent REPL (stands in for a Claude agent): logs every stdin line with a sequence number and answers ACK.
// Run as `node agent.js <dir>/agents/<session>.log`; only node built-ins, so it starts in a few tens of ms.
import { fstatSync, mkdirSync, openSync, readSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const logPath = process.argv[2];
if (!logPath) {
  process.stderr.write('usage: agent.js <log file>\n');
  process.exit(2);
}
const session = basename(logPath, '.log');
const runDir = join(dirname(dirname(logPath)), 'run');

mkdirSync(dirname(logPath), { recursive: true });
const fd = openSync(logPath, 'a+');
let seq = readLastSeq(fd);

process.stdout.write('ready\n');
writePid(join(runDir, `${session}.agent.pid`));

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  let end: number;
  while ((end = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, end).replace(/\r$/, '');
    pending = pending.slice(end + 1);
    seq += 1;
    const t = performance.timeOrigin + performance.now();
    writeSync(fd, `${seq}\t${t.toFixed(3)}\t${line}\n`);
    process.stdout.write(`ACK ${seq}\n`);
  }
});
process.stdin.on('end', () => process.exit(0));

// The sequence continues across restarts: take the last complete line's number, and end a torn line.
function readLastSeq(file: number): number {
  const size = fstatSync(file).size;
  if (size === 0) return 0;
  const length = Math.min(size, 64 * 1024);
  const buffer = Buffer.alloc(length);
  readSync(file, buffer, 0, length, size - length);
  const text = buffer.toString('utf8');
  if (!text.endsWith('\n')) writeSync(file, '\n');
  const lines = text.split('\n');
  for (let index = lines.length - 2; index >= 0; index--) {
    const match = /^(\d+)\t/.exec(lines[index]!);
    if (match) return Number(match[1]);
  }
  return 0;
}

function writePid(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.${process.pid}.tmp`, `${process.pid}\n`);
    renameSync(`${path}.${process.pid}.tmp`, path);
  } catch {
    // The pidfile only helps start-up and stop; the REPL works without it.
  }
}
