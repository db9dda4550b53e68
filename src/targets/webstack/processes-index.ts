// What the driver needs to tell the stack's processes from others, without loading the rest of the stack.
export { findStackUid } from './stop.js';
export { isStackProcess, readStackPids } from './stack-processes.js';
export { getWebstackPaths } from './paths.js';
