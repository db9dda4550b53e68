// The programs the stack's supervisor runs (programs.json): written by faultline at start, read by the supervisor.
import { readFileSync } from 'node:fs';

/** One program of the stack. */
export interface ProgramSpec {
  /** postgres, redis, api, scheduler: also the name of its pidfile in run/. */
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Restart it when it exits (infrastructure always; the API and scheduler only with guardrails). */
  restart: boolean;
  /** First restart delay; doubled after each exit that came soon after a start, up to 5 s. */
  restartDelayMs: number;
  /** A loopback port that accepts connections once the program is ready. */
  readyPort?: number;
  /** Once the port accepts: a command that exits 0 when the program really serves (PostgreSQL accepts a connection only after recovery: pg_isready). */
  readyCommand?: string[];
  /** What stop sends first (PostgreSQL's fast shutdown is SIGINT). */
  stopSignal: 'SIGTERM' | 'SIGINT';
  /** Its stdout and stderr. */
  log: string;
}

/** programs.json. */
export interface ProgramsFile {
  programs: ProgramSpec[];
  runDir: string;
  events: string;
  stopFile: string;
}

/** Reads programs.json; throws when unreadable (the supervisor then exits: nothing to run). */
export function readProgramsFile(path: string): ProgramsFile {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as ProgramsFile;
  if (!Array.isArray(parsed.programs) || typeof parsed.runDir !== 'string' || typeof parsed.events !== 'string') throw new Error(`${path}: not a programs file`);
  return parsed;
}
