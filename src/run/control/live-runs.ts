// The host's live runs: each registers itself (pid, run folder), watches the halt switch, and reads
// commands (`faultline note`, `faultline gameday continue`) from its own inbox. Files, not signals: a
// command reaches only a run that registered, and only this uid can write the control directory.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../util/files.js';
import { isPidAlive } from '../../util/pid.js';
import { ensurePrivateDir, getControlDir, getRunsDir } from './control-dir.js';
import { readHalt, type HaltRecord } from './halt-switch.js';

/** What a live run tells other faultline commands about itself. */
export interface LiveRunInfo {
  runId: string;
  pid: number;
  runDir: string;
  kind: 'run' | 'gameday';
  title?: string;
  /** The dashboard's address (without its token), when one is served. */
  dashboard?: string;
  startedAt: string;
}

/** A command for a live run. `at` is when it was given (epoch ms). */
export type RunCommand =
  | { type: 'note'; text: string; author?: string; at: number }
  | { type: 'continue'; by: string; at: number };

/** How a live run reacts to the host's halt and its inbox. */
export interface LiveRunHandlers {
  onHalt(halt: HaltRecord): void;
  onCommand(command: RunCommand): void;
}

const POLL_MS = 200;

/** A registered live run: polls the halt switch and its inbox until closed. */
export class LiveRun {
  readonly info: LiveRunInfo;
  readonly #file: string;
  readonly #inbox: string;
  readonly #controlDir: string;
  #timer: NodeJS.Timeout | undefined;
  #halted = false;

  private constructor(info: LiveRunInfo, controlDir: string) {
    this.info = info;
    this.#controlDir = controlDir;
    this.#file = join(getRunsDir(controlDir), `${info.runId}.json`);
    this.#inbox = join(getRunsDir(controlDir), `${info.runId}.inbox`);
  }

  /** Registers a run (and prunes registrations of runs that died without closing theirs). */
  static register(info: Omit<LiveRunInfo, 'pid' | 'startedAt'>, controlDir: string = getControlDir()): LiveRun {
    ensurePrivateDir(controlDir);
    ensurePrivateDir(getRunsDir(controlDir));
    listLiveRuns(controlDir);
    const run = new LiveRun({ ...info, pid: process.pid, startedAt: new Date().toISOString() }, controlDir);
    ensurePrivateDir(run.#inbox);
    run.#write();
    return run;
  }

  /** Updates what the registration says (the dashboard's address, once it listens). */
  update(info: Partial<Pick<LiveRunInfo, 'dashboard' | 'title'>>): void {
    Object.assign(this.info, info);
    this.#write();
  }

  /** Starts polling (every 200 ms; the timer never keeps the process alive). */
  watch(handlers: LiveRunHandlers): void {
    const poll = () => {
      const halt = readHalt(this.#controlDir);
      if (halt && !this.#halted) {
        this.#halted = true;
        handlers.onHalt(halt);
      }
      for (const command of this.#takeCommands()) handlers.onCommand(command);
    };
    poll();
    this.#timer = setInterval(poll, POLL_MS);
    this.#timer.unref();
  }

  /** Stops polling and removes the registration and inbox. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    rmSync(this.#file, { force: true });
    rmSync(this.#inbox, { recursive: true, force: true });
  }

  #write(): void {
    writeFileAtomic(this.#file, `${JSON.stringify(this.info)}\n`);
  }

  // Commands in the order they were written; each read once, then removed. Temp files of a write in progress are left for the next poll.
  #takeCommands(): RunCommand[] {
    let names: string[];
    try {
      names = readdirSync(this.#inbox).filter((name) => name.endsWith('.json')).sort();
    } catch {
      return [];
    }
    const commands: RunCommand[] = [];
    for (const name of names) {
      const path = join(this.#inbox, name);
      try {
        const value = JSON.parse(readFileSync(path, 'utf8')) as RunCommand;
        if (value.type === 'note' && typeof value.text === 'string') commands.push(value);
        if (value.type === 'continue') commands.push(value);
      } catch {
        // Unreadable: dropped, not retried forever.
      }
      rmSync(path, { force: true });
    }
    return commands;
  }
}

/** Live runs of the host (registrations of dead processes are removed). */
export function listLiveRuns(controlDir: string = getControlDir()): LiveRunInfo[] {
  const dir = getRunsDir(controlDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const live: LiveRunInfo[] = [];
  for (const name of names) {
    let info: LiveRunInfo;
    try {
      info = JSON.parse(readFileSync(join(dir, name), 'utf8')) as LiveRunInfo;
    } catch {
      continue;
    }
    if (Number.isInteger(info.pid) && isPidAlive(info.pid)) live.push(info);
    else {
      rmSync(join(dir, name), { force: true });
      rmSync(join(dir, name.replace(/\.json$/, '.inbox')), { recursive: true, force: true });
    }
  }
  return live.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** The one live run a command is for: `runId` if given, else the only live run (several: say which). */
export function selectLiveRun(runId: string | undefined, controlDir: string = getControlDir()): LiveRunInfo {
  const live = listLiveRuns(controlDir);
  if (runId !== undefined) {
    const found = live.find((run) => run.runId === runId);
    if (!found) throw new InputError(`no live run ${runId} on this host`, { hint: live.length > 0 ? `live runs: ${live.map((run) => run.runId).join(', ')}` : 'no run is live' });
    return found;
  }
  if (live.length === 0) throw new InputError('no run is live on this host', { hint: 'start one with `faultline run` or `faultline gameday run`' });
  if (live.length > 1) throw new InputError(`${live.length} runs are live on this host; say which with --run`, { hint: `live runs: ${live.map((run) => `${run.runId} (${run.kind}${run.title ? `: ${run.title}` : ''})`).join(', ')}` });
  return live[0]!;
}

/** Drops a command into a live run's inbox (it picks it up within 200 ms). */
export function sendRunCommand(run: LiveRunInfo, command: RunCommand, controlDir: string = getControlDir()): void {
  const inbox = join(getRunsDir(controlDir), `${run.runId}.inbox`);
  if (!existsSync(inbox)) throw new InputError(`run ${run.runId} has ended`, { hint: 'nothing was sent' });
  const name = `${Date.now().toString().padStart(15, '0')}-${randomBytes(4).toString('hex')}.json`;
  writeFileAtomic(join(inbox, name), `${JSON.stringify(command)}\n`);
}
