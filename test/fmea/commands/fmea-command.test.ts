// The `faultline fmea` handlers end to end: arguments in, stdout and exit code out.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(stdout).toContain(`${fixture('inconsistent.md')}:25 error rpn-mismatch: FM-003: RPN 200 ≠ S × O × D = 6 × 6 × 6 = 216`);
    expect(stdout).toMatch(/✗ .*: 10 errors, 0 warnings/);
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
