// fs.watch (inotify on Linux) on the folders of watched files: one watcher per folder, shared by every
// probe of a set, re-armed when the folder is deleted and re-created.
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { monotonicMs } from '../../util/clock.js';
import { DeliveryCoverage } from './coverage.js';
import type { Trigger } from './trigger.js';

/**
 * How late an inotify event reaches a JS callback after the write that caused it. Measured here
 * (another process writing every 10 ms): p50 0.37 ms, p95 0.52 ms, max 1.9 ms; 2 ms bounds it on an
 * idle event loop, which the sampler keeps (its work is a few hundred microseconds per sample).
 */
export const FS_EVENT_BOUND_MS = 2;

type Listener = (trigger: Trigger) => void;

// The listener key of `watchFolder`: every entry of the folder (no file name is a symbol).
const EVERY_ENTRY = Symbol('every entry');

interface FolderWatch {
  watcher: FSWatcher | undefined;
  /** Inode of the folder the watcher is on: a re-created folder needs a new watcher. */
  ino: number | undefined;
  listeners: Map<string | symbol, Set<Listener>>;
  /** When the folder was watched without a break. */
  coverage: DeliveryCoverage;
  endSpan: ((at?: number) => void) | undefined;
}

/** Watches files through their folders; a folder that does not exist yet is armed on the next `refresh`. */
export class FileWatcher {
  private readonly folders = new Map<string, FolderWatch>();
  private closed = false;

  /** Calls `listener` on every event for `path` (create, write, rename, delete); returns the unsubscribe. */
  watch(path: string, listener: Listener): () => void {
    return this.subscribe(dirname(path), basename(path), listener);
  }

  /** Calls `listener` on every event inside folder `dir` (an entry created, written, renamed, deleted); returns the unsubscribe. */
  watchFolder(dir: string, listener: Listener): () => void {
    return this.subscribe(dir, EVERY_ENTRY, listener);
  }

  private subscribe(dir: string, name: string | symbol, listener: Listener): () => void {
    let folder = this.folders.get(dir);
    if (!folder) {
      folder = { watcher: undefined, ino: undefined, listeners: new Map(), coverage: new DeliveryCoverage(), endSpan: undefined };
      this.folders.set(dir, folder);
    }
    const set = folder.listeners.get(name) ?? new Set<Listener>();
    folder.listeners.set(name, set);
    set.add(listener);
    this.arm(dir, folder);
    return () => {
      set.delete(listener);
      if (set.size === 0) folder.listeners.delete(name);
      if (folder.listeners.size === 0) {
        this.disarm(folder);
        this.folders.delete(dir);
      }
    };
  }

  /** True when the folder of `path` is being watched right now. */
  isActive(path: string): boolean {
    return this.isFolderActive(dirname(path));
  }

  /** True when folder `dir` itself is being watched right now. */
  isFolderActive(dir: string): boolean {
    return this.folders.get(dir)?.watcher !== undefined;
  }

  /** The delivery bound when `path`'s folder was watched without a break over [from, to] (default: now; every change to the file is then announced), else null. */
  getEventBound(path: string, from?: number, to?: number): number | null {
    return this.isFolderCovered(dirname(path), from, to) ? FS_EVENT_BOUND_MS : null;
  }

  /** True when folder `dir` itself was watched without a break over [from, to] (default: now). */
  isFolderCovered(dir: string, from?: number, to?: number): boolean {
    return this.folders.get(dir)?.coverage.covers(from, to) ?? false;
  }

  /** Re-arms the watcher of `path`'s folder if that folder was missing or replaced (cheap: one stat). */
  refresh(path: string): void {
    this.refreshFolder(dirname(path));
  }

  /** Re-arms the watcher of folder `dir` if it was missing or replaced. */
  refreshFolder(dir: string): void {
    const folder = this.folders.get(dir);
    if (folder) this.arm(dir, folder);
  }

  /** Stops every watcher. */
  close(): void {
    this.closed = true;
    for (const folder of this.folders.values()) this.disarm(folder);
    this.folders.clear();
  }

  private arm(dir: string, folder: FolderWatch): void {
    if (this.closed) return;
    const ino = getInode(dir);
    if (folder.watcher && ino === folder.ino) return;
    this.disarm(folder);
    if (ino === undefined) return;
    try {
      const watcher = watch(dir, { persistent: false }, (_event, filename) => this.dispatch(dir, folder, filename === null ? null : String(filename), monotonicMs()));
      watcher.on('error', () => {
        const at = monotonicMs();
        if (folder.watcher === watcher) this.disarm(folder, at);
        else watcher.close();
        this.dispatchAll(folder, at);
      });
      folder.watcher = watcher;
      folder.ino = ino;
      // Changes from now on are announced; one made between the inode read and here is caught by the caller's check.
      folder.endSpan = folder.coverage.begin();
    } catch {
      // Not watchable (permissions, too many watchers): the probes keep polling.
    }
  }

  private dispatch(dir: string, folder: FolderWatch, filename: string | null, at: number): void {
    if (filename === null) return this.dispatchAll(folder, at);
    const trigger: Trigger = { at, boundMs: FS_EVENT_BOUND_MS, source: 'fs.watch' };
    for (const listener of folder.listeners.get(filename) ?? []) listener(trigger);
    for (const listener of folder.listeners.get(EVERY_ENTRY) ?? []) listener(trigger);
    // The folder itself went away (rename or delete of the watched dir): tell everyone, re-arm later.
    if (getInode(dir) !== folder.ino) {
      this.disarm(folder, at);
      this.dispatchAll(folder, at, filename);
    }
  }

  // Closes the folder's watcher; what happens in the folder from `at` on is not announced.
  private disarm(folder: FolderWatch, at?: number): void {
    folder.watcher?.close();
    folder.watcher = undefined;
    folder.ino = undefined;
    folder.endSpan?.(at);
    folder.endSpan = undefined;
  }

  private dispatchAll(folder: FolderWatch, at: number, except?: string): void {
    const trigger: Trigger = { at, boundMs: FS_EVENT_BOUND_MS, source: 'fs.watch' };
    for (const [name, listeners] of folder.listeners) {
      if (name === except) continue;
      for (const listener of listeners) listener(trigger);
    }
  }
}

function getInode(dir: string): number | undefined {
  try {
    const stat = statSync(dir);
    return stat.isDirectory() ? stat.ino : undefined;
  } catch {
    return undefined;
  }
}
