// The suite's runs register in a private control directory (test/setup/private-control-dir.ts), never
// in the host's: a test's faultline killed on purpose must not leave a registration in /run/faultline.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { expect, test } from 'vitest';
import { getControlDir } from '../../src/run/control/control-dir.js';

test('tests and the faultline processes they start use a private control directory', () => {
  expect(getControlDir().startsWith(`${tmpdir()}/faultline-test-control-`)).toBe(true);
  // A process a test starts with the usual `{ ...process.env, … }` gets the same directory.
  const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(process.env.FAULTLINE_CONTROL_DIR ?? "")'], { env: { ...process.env, NO_COLOR: '1' } }).toString();
  expect(child).toBe(getControlDir());
});
