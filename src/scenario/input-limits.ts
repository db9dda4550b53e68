// Bounds on an input file, applied before anything walks it: a hostile YAML file (an alias bomb,
// deep nesting, a huge list) must be refused in well under a second, never expanded.
import { InputError } from '../errors.js';

/** Largest input file read, unless --max-input-bytes or FAULTLINE_MAX_INPUT_BYTES says otherwise. */
export const DEFAULT_MAX_INPUT_BYTES = 1024 * 1024;

/** Most YAML nodes in one file, counted with every alias expanded (a scenario has a few hundred). */
export const MAX_YAML_NODES = 100_000;

/** Most scenarios in one file: each is validated in full, so a list of thousands would take seconds. */
export const MAX_SCENARIOS_PER_FILE = 200;

/** Deepest nesting of mappings and lists in one file. */
export const MAX_YAML_DEPTH = 64;

/** The limits one read applies. */
export interface InputLimits {
  maxBytes: number;
  maxNodes: number;
  maxDepth: number;
}

/** The limits for this process: an explicit byte limit, else FAULTLINE_MAX_INPUT_BYTES, else 1 MiB. */
export function getInputLimits(maxBytes?: number): InputLimits {
  return { maxBytes: maxBytes ?? readEnvMaxBytes(), maxNodes: MAX_YAML_NODES, maxDepth: MAX_YAML_DEPTH };
}

/** Checks a --max-input-bytes value: a positive whole number of bytes. */
export function checkMaxInputBytes(value: unknown, name: string): number {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    throw new InputError(`${name}: expected a positive whole number of bytes; got ${JSON.stringify(value)}`, { hint: `e.g. ${DEFAULT_MAX_INPUT_BYTES} (1 MiB, the default)` });
  }
  return number;
}

function readEnvMaxBytes(): number {
  const value = process.env.FAULTLINE_MAX_INPUT_BYTES;
  return value === undefined || value === '' ? DEFAULT_MAX_INPUT_BYTES : checkMaxInputBytes(value, 'FAULTLINE_MAX_INPUT_BYTES');
}
