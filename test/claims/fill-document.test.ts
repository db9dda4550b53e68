// `claims fill` after a real run: only the Measured and Status cells of the linked claim change, plus one provenance line.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceCell } from '../../src/claims/fill-document.js';
import { splitCells } from '../../src/fmea/document/markdown-tables.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'faultline.js');
const seed = fileURLToPath(new URL('../../../shared/seeds/001_a0e0c679a4ee87bd.txt', import.meta.url));
const exec = promisify(execFile);
let work: string;

async function faultline(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('replaceCell', () => {
  it('changes one cell and keeps every other byte, the spaces around it too', () => {
    expect(replaceCell('| Atomic Rollback | <60s | <60s | UNTESTED | ❌ |', 3, '0.74 s p95 (3 runs) ✅')).toBe('| Atomic Rollback | <60s | <60s | 0.74 s p95 (3 runs) ✅ | ❌ |');
    expect(replaceCell('|a|b \\| c|d|', 2, 'x')).toBe('|a|b \\| c| x |');
  });
});

describe.skipIf(!existsSync(seed))('claims fill after a run of one reference scenario', () => {
  let stderr = '';
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'faultline-claims-fill-'));
    copyFileSync(seed, join(work, 'recovery.md'));
    const imported = await faultline(['claims', 'import', 'recovery.md', '--out', 'claims.yaml']);
    expect(imported.code, imported.stderr).toBe(0);
    writeFileSync(join(work, 'config-corrupted.yaml'), [
      'id: claims-config-corrupted',
      'title: Config corrupted, linked to the atomic-rollback RTO claim',
      'claims: [rto-atomic-rollback]',
      'steadyState:',
      '  - probe: file.parses',
      '    path: config/orchestrator.conf',
      '    format: shell',
      'fault:',
      '  type: config.corrupt',
      '  path: config/orchestrator.conf',
      '  mode: syntax',
      'runs: 1',
      'timeoutMs: 5000',
      'stabilizeMs: 200',
      '',
    ].join('\n'));
    const ran = await faultline(['run', 'config-corrupted.yaml', '--reports', 'out']);
    expect(ran.code, ran.stderr).toBe(0);
    const filled = await faultline(['claims', 'fill', 'recovery.md', '--evidence', 'out/latest', '--out', 'recovery.measured.md']);
    expect(filled.code, filled.stderr).toBe(0);
    stderr = filled.stderr;
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('only the Measured and Status cells of the tested row differ, and one provenance line names the run', () => {
    const before = readFileSync(join(work, 'recovery.md'), 'utf8').split('\n');
    const after = readFileSync(join(work, 'recovery.measured.md'), 'utf8').split('\n');
    const runId = JSON.parse(readFileSync(join(work, 'out', 'latest', 'summary.json'), 'utf8')).runId as string;
    const row = before.findIndex((line) => line.startsWith('| Atomic Rollback |'));
    const lastRow = before.findIndex((line) => line.startsWith('| Full System |'));
    // Two lines are added under the RTO table (blank + provenance); every other line is byte for byte the same.
    expect(after).toHaveLength(before.length + 2);
    expect(after.slice(0, lastRow + 1).filter((line, index) => line !== before[index]).map((line) => after.indexOf(line))).toEqual([row]);
    expect(after.slice(lastRow + 3)).toEqual(before.slice(lastRow + 1));
    expect(after[lastRow + 1]).toBe('');
    expect(after[lastRow + 2]).toMatch(new RegExp(`^\\*Measured and Status filled by faultline from run ${runId}: 1 held, 0 broken, 16 untested\\.\\*$`));
    const cellsBefore = splitCells(before[row]!);
    const cellsAfter = splitCells(after[row]!);
    expect(cellsAfter.slice(0, 3)).toEqual(cellsBefore.slice(0, 3));
    expect(cellsBefore.slice(3)).toEqual(['UNTESTED', '❌']);
    expect(cellsAfter[3]).toMatch(/^\d+\.\d\d s p95 \(1 run\) ✅$/);
    expect(cellsAfter[4]).toBe('✅ held');
    // The cells' padding is the document's: the row differs only inside those two cells.
    expect(after[row]!.replace(cellsAfter[3]!, 'UNTESTED').replace(cellsAfter[4]!, '❌')).toBe(before[row]);
    expect(stderr).toMatch(/filled 1 of 17 claims into recovery\.measured\.md \(1 held, 0 broken, 16 untested\)/);
    expect(stderr).toMatch(/untested: rto-link-resolution \(recovery\.md:541\): no scenario tests it/);
  });

  it('the run’s report lists every claim of claims.yaml found beside the scenario, the untested ones too', () => {
    const html = readFileSync(join(work, 'out', 'latest', 'index.html'), 'utf8');
    expect(html).toContain('Claims from your documents');
    expect(html).toMatch(/<code>rto-atomic-rollback<\/code>[\s\S]*?class="status ok">held/);
    expect(html).toMatch(/<code>rto-full-system<\/code>[\s\S]*?class="status warn">untested/);
    expect(html.match(/<code>(rto|rpo|data-loss)-[a-z0-9-]+<\/code> · recovery\.md:/g)).toHaveLength(17);
  });

  it('refuses to overwrite the document itself (exit 2, nothing changed)', async () => {
    const original = readFileSync(join(work, 'recovery.md'), 'utf8');
    const result = await faultline(['claims', 'fill', 'recovery.md', '--evidence', 'out/latest', '--out', 'recovery.md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/that is the document itself/);
    expect(readFileSync(join(work, 'recovery.md'), 'utf8')).toBe(original);
  });
});
