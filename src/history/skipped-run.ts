// A scheduled run that did not start (outside its plan's allowed window, a run still going, a halt):
// recorded as a small run folder of its own, reports/<run-id>/skipped.json, so that the folders stay the
// history's source of truth and `history rebuild` finds the skip again.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { writeFileAtomic } from '../util/files.js';

/** skipped.json: why a scheduled run of a plan did not start. */
export const SkippedRunSchema = Type.Object({
  kind: Type.Literal('skipped'),
  runId: Type.String(),
  plan: Type.String({ description: 'The plan file the schedule runs.' }),
  title: Type.Optional(Type.String()),
  at: Type.String({ format: 'date-time', description: 'When the scheduler started faultline.' }),
  reason: Type.String({ description: 'Why it did not run, in one sentence.' }),
}, { additionalProperties: false });

/** One skipped scheduled run. */
export type SkippedRun = Static<typeof SkippedRunSchema>;

/** The file name inside a run folder. */
export const SKIPPED_FILE = 'skipped.json';

/** Writes reports/<runId>/skipped.json and returns its folder. */
export function writeSkippedRun(reportsDir: string, record: SkippedRun): string {
  const dir = join(reportsDir, record.runId);
  writeFileAtomic(join(dir, SKIPPED_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return dir;
}

/** The skip record of a folder, or undefined when it holds none (or one that is not ours). */
export function readSkippedRun(dir: string): SkippedRun | undefined {
  const file = join(dir, SKIPPED_FILE);
  if (!existsSync(file)) return undefined;
  const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<SkippedRun> | null;
  if (!value || value.kind !== 'skipped' || typeof value.runId !== 'string' || typeof value.reason !== 'string' || typeof value.at !== 'string') return undefined;
  return { kind: 'skipped', runId: value.runId, plan: String(value.plan ?? ''), ...(typeof value.title === 'string' ? { title: value.title } : {}), at: value.at, reason: value.reason };
}
