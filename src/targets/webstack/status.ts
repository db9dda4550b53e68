// getWebstackStatus: what runs of a stack, what /health says, and whether its tmpfs is mounted.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readPidFile } from '../../util/pid.js';
import { isMounted } from '../reference/mount.js';
import { getPidFile, getWebstackPaths } from './paths.js';
import { isStackProcess } from './stack-processes.js';
import { fetchHealth } from './start-wait.js';
import { findStackUid } from './stop.js';
import { readWebstackRecord } from './root-record.js';

/** The programs of a stack, in start order, and the supervisor. */
export const STACK_PROGRAMS = ['supervisor', 'postgres', 'redis', 'api', 'scheduler'] as const;

/** A stack as status shows it. */
export interface WebstackStatus {
  dir: string;
  /** Some process of the stack runs. */
  running: boolean;
  /** /health answered 200. */
  healthy: boolean;
  guardrails?: boolean;
  ports?: { api: number; postgres: number; redis: number };
  processes: Array<{ name: string; pid?: number; alive: boolean }>;
  health?: unknown;
  data?: { path: string; kind: string; mounted: boolean };
  runAs?: { uid: number; note?: string };
}

/** Reads the stack's state; never changes anything. */
export async function getWebstackStatus(dir: string): Promise<WebstackStatus> {
  const root = resolve(dir);
  const paths = getWebstackPaths(root);
  // faultline's record, not webstack.json: a rewritten one would aim the health check at any local port.
  const state = readWebstackRecord(root);
  const uid = existsSync(root) ? findStackUid(root) : undefined;
  const processes = STACK_PROGRAMS.map((name) => {
    const pid = readPidFile(getPidFile(paths, name));
    return { name, ...(pid !== undefined ? { pid } : {}), alive: pid !== undefined && uid !== undefined && isStackProcess(pid, root, uid) };
  });
  const answer = state ? await fetchHealth(state.ports.api) : undefined;
  return {
    dir: root,
    running: processes.some((entry) => entry.alive),
    healthy: answer?.status === 200,
    ...(state ? { guardrails: state.options.guardrails, ports: state.ports } : {}),
    processes,
    ...(answer ? { health: answer.body } : {}),
    ...(state?.data ? { data: { path: state.data.path, kind: state.data.kind, mounted: isMounted(state.data.path) } } : {}),
    ...(state?.runAs ? { runAs: { uid: state.runAs.uid, ...(state.runAs.note ? { note: state.runAs.note } : {}) } } : {}),
  };
}
