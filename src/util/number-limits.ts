// Upper bounds for numbers in input files: every number a scenario gives is finite and capped, so
// `bytesFree: 1e30` or `.inf` is refused by the schema instead of reaching a fault as "Infinity GiB".

/** Bytes: 1 PiB, more than any filesystem faultline meets. */
export const MAX_BYTES = 2 ** 50;

/** Seeds of the random generators (32 bits). */
export const MAX_SEED = 2 ** 32 - 1;

/** tmux window and pane indexes, and counts of things (tmux's own limit: a C int). */
export const MAX_INDEX = 2 ** 31 - 1;

/** Linux uids (2^32 − 1 is reserved as "no uid"). */
export const MAX_UID = 2 ** 32 - 2;

/** Threads or processes of one uid: the kernel's largest pid_max. */
export const MAX_THREADS = 4_194_304;

/** Memory, in MiB: 1 EiB. */
export const MAX_MIB = 2 ** 40;

/** Durations and time budgets, in ms: one day. */
export const MAX_DURATION_MS = 86_400_000;
