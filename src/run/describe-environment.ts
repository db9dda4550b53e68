// What a run was tested on, for the report's "System under test": versions, host load, and exactly which scenario files.
import { availableParallelism, loadavg, release } from 'node:os';
import { dirname, relative } from 'node:path';
import { execa } from 'execa';
import type { Summary } from '../analyse/summary-schema.js';
import { hashBytes, hashFile } from '../util/hash.js';

type Environment = Summary['environment'];

// A load average with two decimals (the kernel's own precision).
const readLoad = () => loadavg().map((value) => Math.round(value * 100) / 100);

// `tmux -V` of the tmux on PATH; undefined when there is none.
async function readTmuxVersion(): Promise<string | undefined> {
  const result = await execa('tmux', ['-V'], { reject: false, timeout: 2000 });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

// git HEAD of the repository holding the files, and whether any of them differs from it; null outside a repository.
async function readScenariosCommit(files: readonly string[]): Promise<Environment['scenariosCommit']> {
  if (files.length === 0) return null;
  const cwd = dirname(files[0]!);
  const head = await execa('git', ['rev-parse', 'HEAD'], { cwd, reject: false, timeout: 5000 });
  if (head.exitCode !== 0) return null;
  const status = await execa('git', ['status', '--porcelain', '--', ...files], { cwd, reject: false, timeout: 5000 });
  return { commit: head.stdout.trim(), dirty: status.exitCode !== 0 || status.stdout.trim() !== '' };
}

/** Facts gathered when a run starts: kernel, cores, load, tmux, the scenarios' commit and checksums. */
export async function describeEnvironmentAtStart(scenarioFiles: readonly string[]): Promise<Partial<Environment>> {
  const loadStart = readLoad();
  const unique = [...new Set(scenarioFiles)];
  const hashed = await Promise.all(unique.map(async (file) => ({ file: relative(process.cwd(), file) || file, sha256: (await hashFile(file)) ?? 'unreadable' })));
  hashed.sort((a, b) => a.file.localeCompare(b.file));
  const [tmux, scenariosCommit] = await Promise.all([readTmuxVersion().catch(() => undefined), readScenariosCommit(unique).catch(() => null)]);
  return {
    ...(tmux ? { tmux } : {}),
    kernel: release(),
    cpus: availableParallelism(),
    loadAverage: { start: loadStart },
    scenariosCommit,
    scenarioFiles: hashed,
    scenariosSha256: hashBytes(Buffer.from(hashed.map((entry) => `${entry.sha256}  ${entry.file}\n`).join(''))),
  };
}

/** The environment completed when the run ends (load average at the end). */
export function completeEnvironment(start: Partial<Environment>): Partial<Environment> {
  return { ...start, loadAverage: { start: start.loadAverage?.start ?? [], end: readLoad() } };
}
