// webstack.json: what faultline recorded about an instance when it started it (ports, credentials,
// options, identity). The stack's uid can rewrite the directory, so stop never trusts this file for
// which processes to signal (their command lines and the root-owned uid lock decide) — only for display and addresses.
import { readFileSync } from 'node:fs';
import type { RunAs } from '../reference/run-as.js';
import type { ResolvedWebstackOptions } from './options.js';

/** The tag of webstack.json (and its version). */
export const STATE_FORMAT = 'faultline-webstack/1';

/** A PostgreSQL role the stack created. */
export interface PgRole {
  user: string;
  password: string;
}

/** The recorded state of an instance. */
export interface WebstackState {
  /** This file's format tag. */
  format: typeof STATE_FORMAT;
  dir: string;
  ownsDir: boolean;
  options: ResolvedWebstackOptions;
  nodePath: string;
  ports: { api: number; postgres: number; redis: number };
  postgres: { database: string; admin: PgRole; app: PgRole; probe: PgRole; binDir: string };
  redis: { password: string; server: string };
  /** The API's JWT secret as started (reset writes it back into the env file). */
  jwtSecret: string;
  runAs?: RunAs;
  data?: { path: string; kind: 'tmpfs' | 'directory'; sizeBytes: number };
  env: Record<string, string>;
  startedAt: number;
  readyAt?: number;
}

/** Reads webstack.json; undefined when missing or not a web stack's. */
export function readWebstackState(path: string): WebstackState | undefined {
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as WebstackState;
    return state && state.format === STATE_FORMAT && typeof state.dir === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}
