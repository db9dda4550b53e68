// Runs the built CLI in a work folder with a private ledger (tests never share the real one).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'faultline.js');
const run = promisify(execFile);

/** The fixture folder of the history tests. */
export const FIXTURES = join(root, 'test', 'fixtures', 'history');

/** Runs `faultline …` in `cwd`; resolves with the exit code and both outputs (never rejects on a non-zero exit). */
export async function runFaultline(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd, timeout: 120_000, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(cwd, 'state'), ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: typeof failure.code === 'number' ? failure.code : -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
