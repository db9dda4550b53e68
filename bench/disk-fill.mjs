// Benchmark: time to fill 1 GiB of a private tmpfs with disk.fill (its own plan → prepare → inject, i.e.
// one fallocate'd filler) beside dd writing the same bytes, in one run; disk.fill must take at most 1/5
// of dd's time. Needs root (it mounts the tmpfs); run with `npm run bench:disk-fill` (builds first).
//
// The tmpfs is mounted with huge=always: tmpfs reserves fallocate'd pages without zeroing them, so with
// 2 MiB pages allocation is ~512 steps; with 4 KiB pages it is 262,144 and costs about as much as dd
// (printed too, for the record, but not asserted).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const GIB = 1024 ** 3;
const ROUNDS = 5;
const LIMIT_RATIO = 1 / 5;

if (process.getuid?.() !== 0) {
  console.log('bench:disk-fill skipped: mounting a private tmpfs needs root');
  process.exit(0);
}
const { default: diskFill } = await import('../dist/faults/disk-fill.js');
const { execa } = await import('execa');

const root = mkdtempSync(join(tmpdir(), 'faultline-bench-fill-'));
const results = {};
try {
  for (const [label, options] of [['huge pages (huge=always)', 'size=1200m,huge=always'], ['4 KiB pages (default)', 'size=1200m']]) {
    const mnt = join(root, label.startsWith('huge') ? 'huge' : 'small');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mnt]);
    try {
      results[label] = await measure(mnt);
    } finally {
      execFileSync('umount', [mnt]);
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

console.log(`bench:disk-fill — fill 1 GiB of a 1.2 GiB tmpfs, median of ${ROUNDS} rounds (node ${process.version})`);
for (const [label, { fill, dd, bytes }] of Object.entries(results)) {
  console.log(`  ${label.padEnd(26)} disk.fill ${fill.toFixed(1).padStart(7)} ms   dd ${dd.toFixed(1).padStart(7)} ms   ratio ${(fill / dd).toFixed(3)}   (${(bytes / GIB).toFixed(3)} GiB each)`);
}
const { fill, dd } = results['huge pages (huge=always)'];
const ok = fill <= dd * LIMIT_RATIO;
console.log(`${ok ? '✓' : '✗'} disk.fill takes ${(fill / dd).toFixed(3)} of dd's time on the huge-page tmpfs (limit ${LIMIT_RATIO})`);
process.exit(ok ? 0 : 1);

// Alternates the two methods; the filler comes from the fault's own inject (sized by its plan to leave 176 MiB free).
async function measure(mnt) {
  const target = {
    name: 'bench',
    driver: 'external',
    capabilities: [],
    home: root,
    roots: [root],
    env: {},
    resolvePath: (path) => resolve(root, path),
    tmux: async () => ({ exitCode: 1, stdout: '', stderr: '' }),
    describe: () => ({}),
  };
  const params = { type: 'disk.fill', path: mnt, bytesFree: 1200 * 1024 * 1024 - GIB };
  const fills = [];
  const dds = [];
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const stateDir = mkdtempSync(join(tmpdir(), 'faultline-bench-state-'));
    const context = { target, stateDir };
    try {
      await diskFill.plan(params, context);
      const state = await diskFill.prepare(params, context);
      const start = performance.now();
      await diskFill.inject(params, context, state);
      fills.push(performance.now() - start);
      if (!(await diskFill.verify(params, context, state))) throw new Error('disk.fill did not take effect');
      bytes = Number(execFileSync('stat', ['-c', '%s', state.filler]).toString());
      if (!(await diskFill.rollback(params, context, state)).ok) throw new Error('disk.fill rollback failed');
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
    const out = join(mnt, 'dd.bin');
    const start = performance.now();
    await execa('dd', ['if=/dev/zero', `of=${out}`, 'bs=1M', `count=${Math.round(bytes / 1024 / 1024)}`, 'status=none']);
    dds.push(performance.now() - start);
    rmSync(out);
  }
  return { fill: median(fills), dd: median(dds), bytes };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
