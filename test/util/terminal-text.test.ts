import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createProgressPrinter } from '../../src/cli/progress-printer.js';
import { sanitizeForTerminal } from '../../src/util/terminal-text.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
const hostile = '\u001b]0;pwned\u0007\u001b[2J\u001b[1;1H✓ all good\r\u202e';
// Any C0 control but newline and tab, DEL, C1, and bidi overrides: none may reach a terminal.
const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-terminal-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

async function faultline(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

describe('control characters never reach the terminal', () => {
  test('sanitizeForTerminal shows escapes, keeps text, and keeps newlines only when asked', () => {
    expect(sanitizeForTerminal(hostile)).toBe('\\x1b]0;pwned\\x07\\x1b[2J\\x1b[1;1H✓ all good\\x0d\\u202e');
    expect(sanitizeForTerminal('a\nb\tc')).toBe('a\\x0ab\\x09c');
    expect(sanitizeForTerminal('a\nb\tc\u009b', { multiline: true })).toBe('a\nb\tc\\x9b');
    expect(sanitizeForTerminal('Orchestrator — ünïcode ✓')).toBe('Orchestrator — ünïcode ✓');
  });

  test('the progress printer prints a hostile title and id escaped', () => {
    let out = '';
    const printer = createProgressPrinter({ write: (text: string) => ((out += text), true) } as unknown as NodeJS.WritableStream);
    printer({ type: 'scenario.start', t: 0, position: 1, total: 1, scenario: `x${hostile}`, title: hostile, file: 's.yaml', fault: { type: 'tmux.kill-session' }, runs: 1, timeoutMs: 1000, head: { id: `x${hostile}`, title: hostile } } as never);
    expect(out).toContain('pwned');
    expect(out).not.toMatch(control);
  });

  test('a dry run and validate print a hostile title, id and file name escaped', async () => {
    const title = '"\\e]0;pwned\\a\\e[2J\\e[31mFAKE\\r"';
    writeFileSync(join(work, 's.yaml'), `id: hostile\ntitle: ${title}\nsteadyState:\n  - { probe: tmux.session, session: proj-a }\nfault: { type: config.corrupt, path: config/orchestrator.conf, mode: syntax }\n`);
    const plan = await faultline(['run', 's.yaml', '--dry-run']);
    expect(plan.stdout).toContain('pwned');
    expect(plan.stdout + plan.stderr).not.toMatch(control);
    const name = `bad\u001b[2J.yaml`;
    writeFileSync(join(work, name), 'id: [\n');
    const checked = await faultline(['validate', name]);
    expect(checked.code).toBe(2);
    expect(checked.stdout).toContain('bad\\x1b[2J.yaml');
    expect(checked.stdout + checked.stderr).not.toMatch(control);
  });
});
