// The bundled web stack: a small real HTTP API, PostgreSQL and Redis, with the failure matrix's
// guardrails switchable (on = its proposed system, off = its current one).
export { chooseWebstackDir, startWebstack, buildApiEnv, WEBSTACK_DIR_PREFIX } from './start.js';
export { stopWebstack, type WebstackStopOptions } from './stop.js';
export { getWebstackStatus, type WebstackStatus } from './status.js';
export { WebstackTarget, openWebstack, describeWebstackTarget, createWebstackHandle, getServiceEndpoints } from './webstack-target.js';
export { DEFAULT_WEBSTACK_OPTIONS, type WebstackOptions } from './options.js';
export { getWebstackPaths, type WebstackPaths } from './paths.js';
export type { WebstackState } from './state.js';
