// The event sources of one probe set, created on first use and shared: one tmux control client per
// target and one fs.watch per folder, however many probes use them.
import type { Target } from '../../targets/types.js';
import { FileWatcher } from './file-watcher.js';
import { TmuxObserver } from './tmux-observer.js';

/** Lazily created, shared event sources; close() releases them all. */
export class ProbeSources {
  private tmuxObserver: TmuxObserver | undefined;
  private fileWatcher: FileWatcher | undefined;

  constructor(private readonly target: Target) {}

  /** The target's tmux server, observed through one control-mode client. */
  tmux(): TmuxObserver {
    // validate refuses tmux probes on a target without tmux; reaching here without one is a bug.
    if (!this.target.socket) throw new Error(`target ${this.target.name} has no tmux server: tmux probes need the tmux capability`);
    this.tmuxObserver ??= new TmuxObserver(this.target.socket, this.files());
    return this.tmuxObserver;
  }

  /** fs.watch on the folders of watched files. */
  files(): FileWatcher {
    this.fileWatcher ??= new FileWatcher();
    return this.fileWatcher;
  }

  /** Process ids of long-lived helpers (the control client or the session watch), for CPU accounting and priority. */
  getHelperPids(): number[] {
    return this.tmuxObserver?.helperPids ?? [];
  }

  /** Detaches the control client and stops every watcher. */
  async close(): Promise<void> {
    await this.tmuxObserver?.close();
    this.fileWatcher?.close();
    this.tmuxObserver = undefined;
    this.fileWatcher = undefined;
  }
}
