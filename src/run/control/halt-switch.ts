// The host's emergency stop: `faultline halt` sets it, every live run stops (rolls back, exit 3), and
// no run starts until `faultline halt --clear`.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AbortError } from '../../errors.js';
import { writeFileAtomic } from '../../util/files.js';
import { ensurePrivateDir, getControlDir } from './control-dir.js';

/** Who halted the host's runs, when and why. */
export interface HaltRecord {
  /** ISO time. */
  at: string;
  by: string;
  reason: string;
  pid: number;
}

const haltFile = (controlDir: string) => join(controlDir, 'halt.json');

/** The halt in force, if any. */
export function readHalt(controlDir: string = getControlDir()): HaltRecord | undefined {
  let text: string;
  try {
    text = readFileSync(haltFile(controlDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<HaltRecord>;
    return { at: String(value.at ?? ''), by: String(value.by ?? 'unknown'), reason: String(value.reason ?? ''), pid: Number(value.pid ?? 0) };
  } catch {
    // A halt file that does not parse still halts: safety first.
    return { at: '', by: 'unknown', reason: 'halt.json is unreadable', pid: 0 };
  }
}

/** Sets the halt (durably: written and fsync'd before any run is told). */
export function setHalt(record: Omit<HaltRecord, 'at' | 'pid'>, controlDir: string = getControlDir()): HaltRecord {
  ensurePrivateDir(controlDir);
  const full = { at: new Date().toISOString(), pid: process.pid, ...record };
  writeFileAtomic(haltFile(controlDir), `${JSON.stringify(full)}\n`);
  return full;
}

/** Lifts the halt; returns the one lifted. */
export function clearHalt(controlDir: string = getControlDir()): HaltRecord | undefined {
  const halt = readHalt(controlDir);
  rmSync(haltFile(controlDir), { force: true });
  return halt;
}

/** Refuses to start a run while the host is halted (exit 3, nothing touched). */
export function assertNotHalted(controlDir: string = getControlDir()): void {
  const halt = readHalt(controlDir);
  if (!halt) return;
  throw new AbortError(`runs are halted on this host${halt.at ? ` since ${halt.at}` : ''} by ${halt.by}${halt.reason ? `: ${halt.reason}` : ''}; nothing was started`, {
    hint: '`faultline halt --clear` lets runs start again',
  });
}
