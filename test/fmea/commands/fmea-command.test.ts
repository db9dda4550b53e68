// The `faultline fmea` handlers end to end: arguments in, stdout and exit code out.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handleFmeaImport, handleFmeaLint, handleFmeaScore } from '../../../src/cli/commands/fmea.js';
import { InputError } from '../../../src/errors.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
let stdout: string;
let stderr: string;
let dir: string;

beforeEach(() => {
  stdout = '';
  stderr = '';
  process.exitCode = undefined;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true; });
  dir = mkdtempSync(join(tmpdir(), 'faultline-fmea-'));
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('faultline fmea lint', () => {
  it('exits 0 on a clean document', async () => {
    await handleFmeaLint({ file: fixture('consistent.md'), json: false });
    expect(process.exitCode).toBe(0);
    expect(stdout).toMatch(/no inconsistencies/);
  });

  it('exits 1 with findings and prints file:line for each', async () => {
    await handleFmeaLint({ file: fixture('inconsistent.md'), json: false });
    expect(process.exitCode).toBe(1);
    expect(stdout).toMatch(/\n {2}rpn-mismatch · \d+ errors?\n(?: {4}.*\n)*? {4}line 25 {2}error {4}FM-003: RPN 200 ≠ S × O × D = 6 × 6 × 6 = 216\n/);
    expect(stdout).toMatch(/✗ 10 errors under \d+ rules/);
  });

  it('names the file once and groups findings by rule, each with its count', async () => {
    await handleFmeaLint({ file: fixture('inconsistent.md'), json: false });
    expect(stdout.split(fixture('inconsistent.md')).length - 1).toBe(1);
    expect(stdout.startsWith(`${fixture('inconsistent.md')}\n`)).toBe(true);
    const headings = [...stdout.matchAll(/^ {2}(\S+) · (\d+) errors?/gm)];
    expect(new Set(headings.map((heading) => heading[1])).size).toBe(headings.length);
    const listed = stdout.split('\n').filter((line) => /^ {4}line /.test(line)).length;
    expect(headings.reduce((sum, heading) => sum + Number(heading[2]), 0)).toBe(listed);
    expect(listed).toBe(10);
    expect(stdout).not.toMatch(/\u001b\[/); // not a terminal: no colour
  });

  it('colours findings on a terminal, not with NO_COLOR', async () => {
    const { runFmeaLint } = await import('../../../src/fmea/commands/run-lint.js');
    let text = '';
    runFmeaLint({ file: fixture('inconsistent.md'), color: true, write: (chunk) => { text += chunk; } });
    expect(text).toMatch(/\u001b\[31merror/);
  });

  it('exits 2 with "no FMEA table or ratings found" on a file that rates nothing (/etc/passwd)', async () => {
    await expect(handleFmeaLint({ file: '/etc/passwd', json: false })).rejects.toThrow(/\/etc\/passwd: no FMEA table or ratings found/);
    expect(process.exitCode).toBe(2);
    expect(stdout).not.toMatch(/no inconsistencies/);
  });

  it('checks "N failure modes exceed RPN X" against the table', async () => {
    const { writeFileSync } = await import('node:fs');
    const table = readFileSync(fixture('consistent.md'), 'utf8');
    const wrong = join(dir, 'wrong.md');
    writeFileSync(wrong, `${table}\n2 failure modes exceed RPN 130.\n`);
    await handleFmeaLint({ file: wrong, json: true });
    const output = JSON.parse(stdout) as { findings: { rule: string; lines: number[]; message: string }[] };
    expect(output.findings).toEqual([expect.objectContaining({ rule: 'threshold-count', lines: [10], message: expect.stringMatching(/^2 failures exceed .*130, but the table has 1 above 130/) })]);
    stdout = '';
    const right = join(dir, 'right.md');
    writeFileSync(right, `${table}\nOne check: 1 failure mode exceeds RPN 130, and 2 failure modes are rated.\n`);
    await handleFmeaLint({ file: right, json: true });
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, findings: [] });
  });

  it('checks "N critical, N high" against the table’s Risk Level column', async () => {
    const { writeFileSync } = await import('node:fs');
    const table = [
      '| ID | Failure Mode | S | O | D | RPN | Risk Level |',
      '|----|--------------|---|---|---|-----|------------|',
      '| FM-001 | Disk full | 7 | 4 | 5 | 140 | HIGH |',
      '| FM-002 | Config lost | 9 | 5 | 7 | 315 | CRITICAL |',
      '| FM-003 | Agent hung | 9 | 4 | 7 | 252 | HIGH |',
    ].join('\n');
    const file = join(dir, 'levels.md');
    writeFileSync(file, `# Levels\n\n${table}\n\nThe table holds 2 critical, 1 high and no low risks.\n`);
    await handleFmeaLint({ file, json: true });
    const output = JSON.parse(stdout) as { findings: { rule: string; lines: number[]; message: string }[] };
    expect(output.findings.filter((finding) => finding.rule === 'level-count')).toEqual([
      expect.objectContaining({ lines: [9], message: '"2 critical" stated, but the table\'s Risk Level column has 1' }),
      expect.objectContaining({ lines: [9], message: '"1 high" stated, but the table\'s Risk Level column has 2' }),
    ]);
    stdout = '';
    writeFileSync(file, `# Levels\n\n${table}\n\nThe table holds 1 critical and 2 high.\n`);
    await handleFmeaLint({ file, json: true });
    expect((JSON.parse(stdout) as { findings: { rule: string }[] }).findings.filter((finding) => finding.rule === 'level-count')).toEqual([]);
  });

  it('prints findings as JSON', async () => {
    await handleFmeaLint({ file: fixture('inconsistent.md'), json: true });
    const output = JSON.parse(stdout) as { ok: boolean; findings: { rule: string; lines: number[] }[] };
    expect(output.ok).toBe(false);
    expect(output.findings[0]).toMatchObject({ rule: 'count', lines: [3] });
  });

  it('exits 2 with file:line on a malformed table', async () => {
    await expect(handleFmeaLint({ file: fixture('bad-table.md'), json: false })).rejects.toThrow(/bad-table\.md:6 severity/);
    expect(process.exitCode).toBe(2);
  });

  it('exits 2 with file:line on a malformed worksheet, and on a missing file', async () => {
    await expect(handleFmeaLint({ file: fixture('bad-range.yaml'), json: false })).rejects.toThrow(/bad-range\.yaml:9:\d+ rows\.1\.severity/);
    expect(process.exitCode).toBe(2);
    process.exitCode = undefined;
    await expect(handleFmeaLint({ file: fixture('missing.md'), json: false })).rejects.toBeInstanceOf(InputError);
    expect(process.exitCode).toBe(2);
  });

  it('reads settings from --config', async () => {
    const config = join(dir, 'fmea.yaml');
    await import('node:fs').then(({ writeFileSync }) => writeFileSync(config, 'bands:\n  - { name: high, min: 1, max: 1000 }\n'));
    await handleFmeaLint({ file: fixture('inconsistent.md'), json: true, config });
    const output = JSON.parse(stdout) as { findings: { rule: string }[] };
    expect(output.findings.map((finding) => finding.rule)).not.toContain('risk-level');
  });
});

describe('faultline fmea import', () => {
  it('writes a worksheet YAML that loads and lints clean', async () => {
    const out = join(dir, 'worksheet.yaml');
    await handleFmeaImport({ file: fixture('inconsistent.md'), out });
    expect(process.exitCode).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*schemas\/worksheet\.schema\.json/);
    expect(text.match(/- id: FM-\d+/g)).toEqual(['- id: FM-001', '- id: FM-003', '- id: FM-004']);
    expect(stderr).toContain('wrote 3 rows');
    expect(stderr).toMatch(/inconsistent\.md:15 FM-002 does not state S, O and D \(or an RPN they imply\); skipped/);
    await handleFmeaLint({ file: out, json: false });
    expect(process.exitCode).toBe(0);
  });

  it('writes <dir>/worksheet.yaml when --out is an existing folder, and leaves no temp file', async () => {
    await handleFmeaImport({ file: fixture('inconsistent.md'), out: dir });
    expect(process.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'worksheet.yaml'), 'utf8')).toMatch(/- id: FM-001/);
    expect(readdirSync(dir)).toEqual(['worksheet.yaml']);
    expect(readdirSync(dirname(dir)).filter((name) => name.startsWith(basename(dir)) && name.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing parent folder is a clear error (exit 2), and nothing is created', async () => {
    const out = join(dir, 'no', 'such', 'worksheet.yaml');
    await expect(handleFmeaImport({ file: fixture('inconsistent.md'), out })).rejects.toThrow(new RegExp(`the folder ${join(dir, 'no', 'such')} does not exist`));
    expect(process.exitCode).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a write that fails (worksheet.yaml is itself a folder) is a clear error and leaves no temp file', async () => {
    mkdirSync(join(dir, 'worksheet.yaml', 'inside'), { recursive: true });
    await expect(handleFmeaImport({ file: fixture('inconsistent.md'), out: dir })).rejects.toBeInstanceOf(InputError);
    expect(process.exitCode).toBe(2);
    expect(readdirSync(dir)).toEqual(['worksheet.yaml']);
  });

  it('prints to stdout without --out, keeping the document levels when asked', async () => {
    await handleFmeaImport({ file: fixture('inconsistent.md'), keepLevels: true });
    expect(stdout).toContain('riskLevel: HIGH');
    expect(stdout).toContain('priority: P1');
  });

  it('exits 2 on a document with no FMEA table', async () => {
    const empty = join(dir, 'empty.md');
    await import('node:fs').then(({ writeFileSync }) => writeFileSync(empty, '# Nothing rated here\n'));
    await expect(handleFmeaImport({ file: empty, out: join(dir, 'never.yaml') })).rejects.toThrow(/no FMEA table or rated section/);
    expect(process.exitCode).toBe(2);
    expect(existsSync(join(dir, 'never.yaml'))).toBe(false);
  });
});

describe('faultline fmea score', () => {
  it('shows measured D and S with rule and evidence for each experimented row', async () => {
    await handleFmeaScore({ worksheet: fixture('worksheet.yaml'), evidence: [fixture('run-newer')], json: false, rankBy: 'analyst' });
    expect(process.exitCode).toBe(0);
    expect(stdout).toContain('D 2 ← detection.ttd-vs-budget');
    expect(stdout).toContain('TTD p95 61.7 ms');
    expect(stdout).toContain('S 6 ← severity.probe-share');
    expect(stdout).toContain('D 10 ← detection.undetected');
  });

  it('prints the scored rows as JSON', async () => {
    await handleFmeaScore({ worksheet: fixture('worksheet.yaml'), evidence: [fixture('run-newer/summary.json')], json: true, rankBy: 'analyst' });
    const output = JSON.parse(stdout) as { rows: { row: { id: string }; derived: { detection?: { rating: number; evidence: { ttdP95Ms: number } } } }[] };
    expect(output.rows.find((entry) => entry.row.id === 'SPOF-001')?.derived.detection).toMatchObject({ rating: 2, evidence: { ttdP95Ms: 55, testTtdP95Ms: 61.7 } });
  });

  it('exits 2 when an evidence directory has no summary', async () => {
    await expect(handleFmeaScore({ worksheet: fixture('worksheet.yaml'), evidence: [dir], json: false, rankBy: 'analyst' })).rejects.toThrow(/no summary\.json here/);
    expect(process.exitCode).toBe(2);
  });
});
