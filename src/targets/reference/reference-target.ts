// ReferenceTarget: the Target view of a running instance, plus openReference and createReferenceHandle.
import { realpathSync, statfsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { TargetError } from '../../errors.js';
import { readNonRootOwner } from '../../util/dir-owner.js';
import { runTmux, type TmuxResult, type TmuxSocket } from '../tmux.js';
import type { DataAreaInfo, Target, TargetHandle, TargetStopReport } from '../types.js';
import { DEFAULT_REFERENCE_OPTIONS, type ReferenceOptions } from './options.js';
import { buildTargetEnv } from './environment.js';
import { getReferencePaths } from './paths.js';
import { isMounted } from './mount.js';
import { getReferenceScripts } from './scripts.js';
import { readReferenceState, type ReferenceState } from './state.js';

/** A running reference orchestrator as a faultline target. */
export class ReferenceTarget implements Target {
  readonly name = 'reference';
  readonly driver = 'reference';
  readonly capabilities = ['tmux'] as const;
  readonly dir: string;
  readonly home: string;
  readonly socket: TmuxSocket;
  readonly roots: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly runAs?: { readonly uid: number; readonly gid: number };
  readonly signalsPath: string;
  readonly dataAreas: readonly DataAreaInfo[];
  readonly state: Readonly<ReferenceState>;

  constructor(state: ReferenceState) {
    this.state = state;
    this.dir = state.dir;
    this.home = state.dir;
    // The server runs as the instance's uid: a socket file of any other owner is not this instance's server.
    this.socket = { socketPath: state.socketPath, ...(state.runAs ? { ownerUid: state.runAs.uid } : {}) };
    this.roots = [state.dir];
    this.env = { ...state.env };
    // Whoever owns the instance dir can plant programs in its bin/ (first on PATH): commands run for the
    // target run as that owner, never as root. The owner, not target.json's runAs, which that uid can rewrite.
    const owner = readNonRootOwner(state.dir);
    if (owner) this.runAs = owner;
    this.signalsPath = getReferencePaths(state.dir).events;
    this.dataAreas = state.data ? [{ path: state.data.path, kind: state.data.kind, sizeBytes: state.data.sizeBytes }] : [];
  }

  resolvePath(path: string): string {
    return isAbsolute(path) ? path : resolve(this.home, path);
  }

  // faultline's own tmux (not the target's PATH), so a shadowed binary does not blind the probes.
  tmux(args: string[]): Promise<TmuxResult> {
    return runTmux(this.socket, args);
  }

  describe(): Record<string, unknown> {
    const { options, data, runAs } = this.state;
    return {
      driver: 'reference',
      dir: this.dir,
      socket: this.state.socketPath,
      projects: options.projects,
      heal: options.heal ? { intervalMs: options.healIntervalMs, delayMs: options.healDelayMs } : false,
      checkinIntervalMs: options.checkinIntervalMs,
      data: data && { kind: data.kind, path: data.path, sizeBytes: data.sizeBytes },
      runAs: runAs && { uid: runAs.uid, processBudget: runAs.processBudget, memoryBudgetMiB: runAs.memoryBudgetMiB, ...(runAs.note ? { note: runAs.note } : {}) },
      startMs: this.state.readyAt === undefined ? undefined : Math.round((this.state.readyAt - this.state.startedAt) * 1000) / 1000,
    };
  }

  /** Stops the instance (see stopReference); `complete: false` when something survived. */
  async stop(): Promise<TargetStopReport> {
    const { stopReference } = await import('./stop.js');
    return stopReference(this.dir);
  }
}

/** A ReferenceTarget for an instance already running in `dir` (after `faultline target up`). */
export async function openReference(dir: string): Promise<ReferenceTarget> {
  const root = resolve(dir);
  const { getReferenceStatus } = await import('./status.js');
  const state = readReferenceState(getReferencePaths(root).state);
  const status = await getReferenceStatus(root);
  if (!state || !status.running) {
    throw new TargetError(`no reference target running at ${root}`, { hint: 'start one with `faultline target up`' });
  }
  return new ReferenceTarget(distrustState(root, state));
}

/**
 * A ReferenceTarget for `dir` without checking that anything runs (for `faultline recover`, which
 * must roll faults back on a crashed instance); falls back to the fixed layout when target.json is gone.
 */
export function describeReferenceTarget(dir: string): ReferenceTarget {
  const root = resolve(dir);
  const paths = getReferencePaths(root);
  const state = readReferenceState(paths.state);
  if (state) return new ReferenceTarget(distrustState(root, state));
  return new ReferenceTarget({
    version: 1,
    kind: 'reference',
    dir: root,
    socketPath: paths.socket,
    ownsDir: false,
    createdBy: { pid: 0, at: 0 },
    options: { ...DEFAULT_REFERENCE_OPTIONS },
    nodePath: process.execPath,
    scripts: { agent: '', healthServer: '', scheduler: '', healer: '' },
    env: buildTargetEnv(paths),
    pids: {},
    startedAt: 0,
  });
}

/**
 * target.json as read from disk, with everything root acts on rebuilt from the directory faultline was
 * given: the instance's uid owns that directory and can rewrite target.json, so its dir (the roots every
 * guard checks), socket, env (PATH, LD_PRELOAD of probes and tmux clients), node and script paths and data
 * area (path and the budget disk faults keep to) are never taken from it. The rest is only displayed.
 */
export function distrustState(dir: string, state: ReferenceState): ReferenceState {
  const root = getRealPath(dir);
  const paths = getReferencePaths(root);
  const dedicated = state.runAs !== undefined && state.runAs.uid !== (process.getuid?.() ?? 0);
  const trusted: ReferenceState = {
    ...state,
    dir: root,
    socketPath: paths.socket,
    env: buildTargetEnv(paths, process.env, { ownHome: dedicated }),
    nodePath: process.execPath,
    scripts: getReferenceScripts(),
  };
  if (state.data) trusted.data = describeDataArea(paths.dataDir, state.data.sizeBytes);
  return trusted;
}

// A mounted tmpfs is as large as the kernel says; a plain directory's budget is what was recorded, capped at the default size.
function describeDataArea(path: string, recordedBytes: unknown): NonNullable<ReferenceState['data']> {
  if (isMounted(path)) {
    const stats = statfsSync(path);
    return { path, kind: 'tmpfs', sizeBytes: Number(stats.blocks) * Number(stats.bsize) };
  }
  const cap = DEFAULT_REFERENCE_OPTIONS.dataSizeMiB * 1024 * 1024;
  const recorded = typeof recordedBytes === 'number' && Number.isFinite(recordedBytes) && recordedBytes > 0 ? recordedBytes : cap;
  return { path, kind: 'directory', sizeBytes: Math.min(recorded, cap) };
}

function getRealPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Starts an instance that faultline owns: reset() restarts it fresh in the same dir, close() stops it. */
export async function createReferenceHandle(options: ReferenceOptions = {}): Promise<TargetHandle> {
  const { startInstance } = await import('./start.js');
  const { stopReference } = await import('./stop.js');
  const ownsDir = options.ownsDir ?? options.dir === undefined;
  let current = await startInstance(options, ownsDir);
  const dir = current.dir;
  return {
    get target() {
      return current;
    },
    managed: true,
    async reset() {
      const report = await stopReference(dir, { keepDir: true });
      // Never a fresh instance next to survivors of the old one (they would share its dir and uid).
      if (!report.complete) {
        throw new TargetError(`could not restart the reference orchestrator in ${dir}: still running after stop: ${report.left.join('; ')}`, {
          hint: `run \`faultline recover\` (a run's target stays in its ledger), or \`faultline target down --dir ${dir}\` once they are gone`,
        });
      }
      current = await startInstance({ ...options, dir }, ownsDir);
      return report;
    },
    async close() {
      return stopReference(dir);
    },
  };
}
