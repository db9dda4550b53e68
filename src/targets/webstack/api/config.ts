// The API's configuration: its env file (api/api.env in the instance), read at every start. With
// guardrails the JWT secret is validated and a bad one stops the start with a clear message (exit 78,
// EX_CONFIG); without them a missing secret falls back to a hardcoded default, as the failure matrix's
// "current" system does, and requests signed with the real secret then fail.
import { readFileSync } from 'node:fs';

/** The hardcoded default secret of the "current" system. */
export const DEFAULT_JWT_SECRET = 'your-secret-key-change-in-production';
/** Shortest secret accepted with guardrails on. */
export const MIN_SECRET_LENGTH = 32;
/** The exit code of a start refused for its configuration. */
export const EXIT_CONFIG = 78;

/** The API's configuration. */
export interface ApiConfig {
  guardrails: boolean;
  apiPort: number;
  pg: { host: string; port: number; database: string; user: string; password: string };
  redis: { port: number; password: string };
  jwtSecret: string;
  /** With guardrails: a previous secret still accepted (rotation with a grace period). */
  jwtPreviousSecret?: string;
  uploadDir: string;
  eventFlushMs: number;
  breakerOpenMs: number;
  schedulerIntervalMs: number;
}

/** A configuration the API refuses to start with. */
export class ConfigError extends Error {}

/** Parses KEY=VALUE lines (blank lines and # comments skipped; no quoting). */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    values[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return values;
}

/** Renders an env file from values. */
export function renderEnvFile(values: Record<string, string>): string {
  return `# The web stack API's configuration (written by faultline; read at every API start)\n${Object.entries(values).map(([key, value]) => `${key}=${value}`).join('\n')}\n`;
}

/** Reads and checks the env file; throws ConfigError saying what is wrong and how to fix it. */
export function loadApiConfig(path: string): ApiConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the API's env file ${path}: ${(error as Error).message}`);
  }
  const env = parseEnvFile(text);
  const guardrails = env.GUARDRAILS !== 'off';
  const number = (key: string): number => {
    const value = Number(env[key]);
    if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${path}: ${key} must be a positive integer; got ${JSON.stringify(env[key] ?? null)}`);
    return value;
  };
  const text_ = (key: string): string => {
    const value = env[key];
    if (value === undefined || value === '') throw new ConfigError(`${path}: ${key} is missing`);
    return value;
  };
  let jwtSecret = env.JWT_SECRET ?? '';
  if (guardrails && jwtSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `${path}: JWT_SECRET is ${jwtSecret ? `only ${jwtSecret.length} characters` : 'missing'}: refusing to start (guardrails on need at least ${MIN_SECRET_LENGTH}); set JWT_SECRET to a long random value`,
    );
  }
  if (!jwtSecret) jwtSecret = DEFAULT_JWT_SECRET;
  return {
    guardrails,
    apiPort: number('API_PORT'),
    pg: { host: text_('PG_HOST'), port: number('PG_PORT'), database: text_('PG_DATABASE'), user: text_('PG_USER'), password: text_('PG_PASSWORD') },
    redis: { port: number('REDIS_PORT'), password: text_('REDIS_PASSWORD') },
    jwtSecret,
    ...(guardrails && env.JWT_SECRET_PREVIOUS ? { jwtPreviousSecret: env.JWT_SECRET_PREVIOUS } : {}),
    uploadDir: text_('UPLOAD_DIR'),
    eventFlushMs: number('EVENT_FLUSH_MS'),
    breakerOpenMs: number('BREAKER_OPEN_MS'),
    schedulerIntervalMs: number('SCHEDULER_INTERVAL_MS'),
  };
}
