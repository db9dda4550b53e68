// Progress is not a vocabulary of its own: a progress listener receives the run's events (events/types).
import type { RunEvent, RunPhase } from '../events/types.js';

/** Something worth telling the person watching a run: any event of the run's stream. */
export type ProgressEvent = RunEvent;

export type { RunPhase };

/** Receives the run's events; must not throw. */
export type ProgressListener = (event: RunEvent) => void;
