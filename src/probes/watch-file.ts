// The watch() of probes that observe one file: fs.watch on its folder, re-armed on each check.
import type { ProbeSources } from '../measure/sources/probe-sources.js';
import type { Trigger } from '../measure/sources/trigger.js';
import type { Probe, ProbeResult } from './types.js';

/** Returns a probe's watch function for `path`. */
export function watchFile(sources: ProbeSources, path: string): (onTrigger: (trigger: Trigger) => void) => () => void {
  return (onTrigger) => sources.files().watch(path, onTrigger);
}

/** Call at each check: re-arms the folder watcher when the folder was missing or replaced (one stat). */
export function refreshWatch(sources: ProbeSources, path: string): void {
  sources.files().refresh(path);
}

/** A probe's getEventBound for `path`: fs.watch announces every change while the folder is watched. */
function getFileEventBound(sources: ProbeSources, path: string): (from?: number, to?: number) => number | null {
  return (from, to) => sources.files().getEventBound(path, from, to);
}

/** A probe observing one file: re-arms the watch before each check and reports fs.watch as its event source. */
export function createFileProbe(sources: ProbeSources, path: string, check: () => Promise<ProbeResult>): Probe {
  return {
    async check() {
      refreshWatch(sources, path);
      return check();
    },
    watch: watchFile(sources, path),
    getEventBound: getFileEventBound(sources, path),
  };
}
