// Which reference instances `target up` started from this checkout: the current one, and every one still to stop.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/files.js';

/** The instance `down` and `status` use without --dir (the newest one started). */
export const RECORD_FILE = join('.faultline', 'target');
/** Every instance started here and not yet stopped, one directory a line. */
export const RECORDS_FILE = join('.faultline', 'targets');

/** The current instance's directory, if one is recorded. */
export function readCurrentInstance(cwd: string): string | undefined {
  return readLines(join(cwd, RECORD_FILE))[0];
}

/** Every instance started from `cwd` and not stopped since (the current one included). */
export function listInstances(cwd: string): string[] {
  const current = readCurrentInstance(cwd);
  const all = readLines(join(cwd, RECORDS_FILE));
  return current === undefined || all.includes(current) ? all : [...all, current];
}

/** Records a started instance and makes it the current one. */
export function addInstance(cwd: string, dir: string): void {
  mkdirSync(join(cwd, '.faultline'), { recursive: true });
  const all = listInstances(cwd).filter((other) => other !== dir);
  writeFileAtomic(join(cwd, RECORDS_FILE), [...all, dir].map((line) => `${line}\n`).join(''));
  writeFileAtomic(join(cwd, RECORD_FILE), `${dir}\n`);
}

/** Forgets a stopped instance; the newest remaining one becomes current. */
export function removeInstance(cwd: string, dir: string): void {
  const left = listInstances(cwd).filter((other) => other !== dir);
  if (left.length === 0) {
    rmSync(join(cwd, RECORDS_FILE), { force: true });
    rmSync(join(cwd, RECORD_FILE), { force: true });
    return;
  }
  writeFileAtomic(join(cwd, RECORDS_FILE), left.map((line) => `${line}\n`).join(''));
  if (readCurrentInstance(cwd) === dir || readCurrentInstance(cwd) === undefined) writeFileAtomic(join(cwd, RECORD_FILE), `${left.at(-1)}\n`);
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').map((line) => line.trim()).filter(Boolean);
  } catch {
    return [];
  }
}

/** The records of another bundled target's instances (the same operations, its own two files). */
export interface InstanceRecords {
  recordFile: string;
  readCurrent(cwd: string): string | undefined;
  list(cwd: string): string[];
  add(cwd: string, dir: string): void;
  remove(cwd: string, dir: string): void;
}

/** Records kept in `.faultline/<name>` (current) and `.faultline/<name>s` (all). */
export function createInstanceRecords(name: string): InstanceRecords {
  const recordFile = join('.faultline', name);
  const recordsFile = join('.faultline', `${name}s`);
  const readCurrent = (cwd: string) => readLines(join(cwd, recordFile))[0];
  const list = (cwd: string) => {
    const current = readCurrent(cwd);
    const all = readLines(join(cwd, recordsFile));
    return current === undefined || all.includes(current) ? all : [...all, current];
  };
  return {
    recordFile,
    readCurrent,
    list,
    add(cwd, dir) {
      mkdirSync(join(cwd, '.faultline'), { recursive: true });
      writeFileAtomic(join(cwd, recordsFile), [...list(cwd).filter((other) => other !== dir), dir].map((line) => `${line}\n`).join(''));
      writeFileAtomic(join(cwd, recordFile), `${dir}\n`);
    },
    remove(cwd, dir) {
      const left = list(cwd).filter((other) => other !== dir);
      if (left.length === 0) {
        rmSync(join(cwd, recordsFile), { force: true });
        rmSync(join(cwd, recordFile), { force: true });
        return;
      }
      writeFileAtomic(join(cwd, recordsFile), left.map((line) => `${line}\n`).join(''));
      if (readCurrent(cwd) === dir || readCurrent(cwd) === undefined) writeFileAtomic(join(cwd, recordFile), `${left.at(-1)}\n`);
    },
  };
}
