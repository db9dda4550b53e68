// WebstackTarget: the Target view of a running stack (its services, declared processes, data area and
// the supervisor's event log), plus openWebstack, describeWebstackTarget and createWebstackHandle.
import { existsSync, statfsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { GuardError, TargetError } from '../../errors.js';
import { readNonRootOwner } from '../../util/dir-owner.js';
import type { TmuxResult } from '../tmux.js';
import type { DataAreaInfo, DeclaredProcess, ServiceEndpoint, Target, TargetHandle, TargetStopReport } from '../types.js';
import { isMounted } from '../reference/mount.js';
import { DEFAULT_WEBSTACK_OPTIONS, type WebstackOptions } from './options.js';
import { getPidFile, getWebstackPaths } from './paths.js';
import { getWebstackRecordDir, readWebstackRecord } from './root-record.js';
import { STATE_FORMAT, type WebstackState } from './state.js';
import { STACK_PROGRAMS } from './status.js';

/** A running web stack as a faultline target. */
export class WebstackTarget implements Target {
  readonly name = 'webstack';
  readonly driver = 'webstack';
  readonly capabilities = ['services'] as const;
  readonly dir: string;
  readonly home: string;
  readonly roots: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly runAs?: { readonly uid: number; readonly gid: number };
  readonly services: readonly ServiceEndpoint[];
  readonly processes: readonly DeclaredProcess[];
  readonly dataAreas: readonly DataAreaInfo[];
  readonly signalsPath: string;
  /** The API's env file (JWT secret, addresses): config faults corrupt it, reset() writes it back. */
  readonly apiEnvPath: string;
  readonly state: Readonly<WebstackState>;

  constructor(state: WebstackState) {
    this.state = state;
    this.dir = state.dir;
    this.home = state.dir;
    this.roots = [state.dir];
    this.env = { ...state.env };
    const paths = getWebstackPaths(state.dir);
    // The dir's owner, not webstack.json's runAs (which that uid can rewrite).
    const owner = readNonRootOwner(state.dir);
    if (owner) this.runAs = owner;
    this.services = getServiceEndpoints(state);
    this.processes = STACK_PROGRAMS.map((name) => ({ name, pidfile: getPidFile(paths, name) }));
    // The area's path is the layout's, never webstack.json's (which the stack's uid can rewrite): a forged one must not point disk.fill elsewhere.
    this.dataAreas = state.data ? [describeDataArea(paths.pgArea, state.data.sizeBytes)] : [];
    this.signalsPath = paths.events;
    this.apiEnvPath = paths.apiEnv;
  }

  resolvePath(path: string): string {
    return isAbsolute(path) ? path : resolve(this.home, path);
  }

  tmux(): Promise<TmuxResult> {
    return Promise.reject(new GuardError('the web stack has no tmux server: this needs the tmux capability', { hint: 'use a fault or probe that does not need tmux (process, service, network, config, disk)' }));
  }

  describe(): Record<string, unknown> {
    const { options, ports, data, runAs } = this.state;
    return {
      driver: 'webstack',
      name: this.name,
      dir: this.dir,
      guardrails: options.guardrails ? 'on' : 'off',
      ports,
      services: this.services.map((service) => `${service.name} ${service.kind} ${service.host}:${service.port}`),
      data: data && { kind: data.kind, path: data.path, sizeBytes: data.sizeBytes },
      runAs: runAs && { uid: runAs.uid, ...(runAs.note ? { note: runAs.note } : {}) },
      startMs: this.state.readyAt === undefined ? undefined : Math.round((this.state.readyAt - this.state.startedAt) * 1000) / 1000,
    };
  }
}

/** The stack's services: the API (http), PostgreSQL (as faultline's probe role) and Redis. */
export function getServiceEndpoints(state: WebstackState): ServiceEndpoint[] {
  const paths = getWebstackPaths(state.dir);
  return [
    { name: 'api', kind: 'http', host: '127.0.0.1', port: state.ports.api, process: 'api' },
    { name: 'postgres', kind: 'postgres', host: '127.0.0.1', port: state.ports.postgres, database: state.postgres.database, user: state.postgres.probe.user, password: state.postgres.probe.password, socketDir: paths.pgSocketDir, process: 'postgres' },
    { name: 'redis', kind: 'redis', host: '127.0.0.1', port: state.ports.redis, password: state.redis.password, process: 'redis' },
  ];
}

/** The stack running in `dir` (after `faultline target up webstack`). */
export function openWebstack(dir: string): WebstackTarget {
  const root = resolve(dir);
  // Ports and credentials from faultline's own record: webstack.json is the stack's uid's to rewrite.
  const state = readWebstackRecord(root);
  if (!state) {
    const inDir = existsSync(getWebstackPaths(root).state);
    throw new TargetError(inDir ? `the web stack at ${root} has no record of faultline's own in ${getWebstackRecordDir()} (its webstack.json, which the stack's uid can rewrite, is not trusted for ports)` : `no web stack at ${root} (no readable webstack.json)`, {
      hint: inDir ? `restart it: \`faultline target down webstack --dir ${root}\`, then \`faultline target up webstack\`` : 'start one with `faultline target up webstack`',
    });
  }
  return new WebstackTarget({ ...state, dir: root });
}

/** A WebstackTarget for `dir` without checking that anything runs (recover, plans): a stand-in state when faultline holds no record of it. */
export function describeWebstackTarget(dir: string): WebstackTarget {
  const root = resolve(dir);
  const state = readWebstackRecord(root);
  if (state) return new WebstackTarget({ ...state, dir: root });
  const role = { user: 'fl_probe', password: '' };
  return new WebstackTarget({
    format: STATE_FORMAT,
    dir: root,
    ownsDir: false,
    options: DEFAULT_WEBSTACK_OPTIONS,
    nodePath: process.execPath,
    ports: { api: 0, postgres: 0, redis: 0 },
    postgres: { database: 'app', admin: role, app: role, probe: role, binDir: '' },
    redis: { password: '', server: '' },
    jwtSecret: '',
    env: {},
    startedAt: 0,
  });
}

/** Starts a stack faultline owns: reset() restarts it fresh in the same dir (its env file rewritten), close() stops it. */
export async function createWebstackHandle(options: WebstackOptions = {}): Promise<TargetHandle> {
  const { startWebstack } = await import('./start.js');
  const { stopWebstack } = await import('./stop.js');
  const ownsDir = options.ownsDir ?? options.dir === undefined;
  let current = await startWebstack(options);
  const dir = current.dir;
  return {
    get target() {
      return current;
    },
    managed: true,
    async reset(): Promise<TargetStopReport> {
      const report = await stopWebstack(dir, { keepDir: true });
      if (!report.complete) {
        throw new TargetError(`could not restart the web stack in ${dir}: still running after stop: ${report.left.join('; ')}`, {
          hint: `run \`faultline recover\`, or \`faultline target down webstack --dir ${dir}\` once they are gone`,
        });
      }
      current = await startWebstack({ ...options, dir, ownsDir });
      return report;
    },
    close: () => stopWebstack(dir, { ownsDir }),
  };
}

// A mounted tmpfs is as large as the kernel says; a plain directory's budget is what was recorded, capped at the default size.
function describeDataArea(path: string, recordedBytes: unknown): DataAreaInfo {
  if (existsSync(path) && isMounted(path)) {
    const stats = statfsSync(path);
    return { path, kind: 'tmpfs', sizeBytes: stats.blocks * stats.bsize };
  }
  const cap = DEFAULT_WEBSTACK_OPTIONS.pgDataSizeMiB * 1024 * 1024;
  return { path, kind: 'directory', sizeBytes: typeof recordedBytes === 'number' && Number.isFinite(recordedBytes) && recordedBytes > 0 ? Math.min(recordedBytes, cap) : cap };
}
