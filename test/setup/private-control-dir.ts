// Every test, and every faultline a test starts, registers its runs and reads the halt switch in a
// private control directory, not the host's /run/faultline/control: a test never halts (or is halted
// by) a real run, and a faultline killed with SIGKILL on purpose leaves its registration here, removed
// after the suite. A test that sets FAULTLINE_CONTROL_DIR itself keeps its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-test-control-'));
  process.env.FAULTLINE_CONTROL_DIR = join(dir, 'control');
  return () => rmSync(dir, { recursive: true, force: true });
}
