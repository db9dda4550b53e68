// The layout of a web-stack instance directory: one place that names every file and folder in it.
import { join } from 'node:path';

/** Absolute paths inside one instance directory. */
export interface WebstackPaths {
  dir: string;
  /** The stack's state (ports, credentials, pids' names, options), written by faultline. */
  state: string;
  /** Mount point of PostgreSQL's own small tmpfs (the data area disk faults may fill). */
  pgArea: string;
  /** PGDATA, inside the tmpfs. */
  pgData: string;
  /** PostgreSQL's private unix-socket directory. */
  pgSocketDir: string;
  /** Redis's config and AOF directory. */
  redisDir: string;
  redisConfig: string;
  /** The API's configuration (JWT secret, addresses), an env file config faults may corrupt. */
  apiEnv: string;
  /** The programs the stack's supervisor runs, and its log of detections and restarts (JSONL, `t` epoch ms). */
  programs: string;
  events: string;
  runDir: string;
  logsDir: string;
  /** Uploads with guardrails on: persistent, beside the stack's other data. */
  uploadsDir: string;
  /** Uploads with guardrails off: a temp dir the API wipes when it starts (the "container restart" of the failure matrix). */
  tmpUploadsDir: string;
  /** A file the stop writes first: the supervisor restarts nothing once it exists. */
  stopFile: string;
}

/** The paths of the instance in `dir`. */
export function getWebstackPaths(dir: string): WebstackPaths {
  return {
    dir,
    state: join(dir, 'webstack.json'),
    pgArea: join(dir, 'pg'),
    pgData: join(dir, 'pg', 'data'),
    pgSocketDir: join(dir, 'pg-socket'),
    redisDir: join(dir, 'redis'),
    redisConfig: join(dir, 'redis', 'redis.conf'),
    apiEnv: join(dir, 'api', 'api.env'),
    programs: join(dir, 'supervisor', 'programs.json'),
    events: join(dir, 'supervisor', 'events.jsonl'),
    runDir: join(dir, 'run'),
    logsDir: join(dir, 'logs'),
    uploadsDir: join(dir, 'uploads'),
    tmpUploadsDir: join(dir, 'tmp', 'uploads'),
    stopFile: join(dir, 'run', 'stopping'),
  };
}

/** The pidfile of a program of the stack (postgres, redis, api, scheduler, supervisor). */
export function getPidFile(paths: WebstackPaths, program: string): string {
  return join(paths.runDir, `${program}.pid`);
}

/** The directories start creates (the tmpfs mount point among them). */
export function listLayoutDirs(paths: WebstackPaths): string[] {
  return [paths.pgArea, paths.pgSocketDir, paths.redisDir, join(paths.dir, 'api'), join(paths.dir, 'supervisor'), paths.runDir, paths.logsDir, paths.uploadsDir, join(paths.dir, 'tmp'), paths.tmpUploadsDir];
}
