// The bundled reference orchestrator: a small, real Tmux-Orchestrator look-alike with a healer whose
// event log is the ground truth for recovery times.
export { chooseInstanceDir, startReference } from './start.js';
export { stopReference, type StopOptions, type StopReport } from './stop.js';
export { getReferenceStatus, type ReferenceStatus, type ProcessStatus } from './status.js';
export { ReferenceTarget, openReference, describeReferenceTarget, createReferenceHandle } from './reference-target.js';
export { DEFAULT_REFERENCE_OPTIONS, type ReferenceOptions } from './options.js';
export { getReferencePaths, ORCHESTRATOR_SESSION, type ReferencePaths } from './paths.js';
export type { HealerEvent, HealComponent } from './heal-context.js';
export type { ReferenceState } from './state.js';
