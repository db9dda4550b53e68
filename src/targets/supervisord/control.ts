// supervisord reached through its own interface (`supervisorctl` on its unix socket): each program's
// state and pid, and stopping or starting a program the way an operator would.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { execa } from 'execa';
import { TargetError } from '../../errors.js';
import type { SupervisedProgram, SupervisorControl } from '../types.js';
import { getAllProcessInfo, getSupervisordPid } from './xml-rpc.js';

/** Where supervisord is: its config, and its socket when not the config's. */
export interface SupervisordAddress {
  config: string;
  socket?: string;
  log?: string;
}

const STATES = new Set(['STOPPED', 'STARTING', 'RUNNING', 'BACKOFF', 'STOPPING', 'EXITED', 'FATAL', 'UNKNOWN']);

/** A SupervisorControl for one supervisord. */
export function createSupervisordControl(address: SupervisordAddress): SupervisorControl {
  const settings = readSupervisordSettings(address.config);
  const socket = address.socket ?? settings.socket;
  const logPath = address.log ?? settings.logfile;
  const ctl = async (args: string[]) => {
    const result = await execa('supervisorctl', ['-c', address.config, ...(socket ? ['-s', `unix://${socket}`] : []), ...args], { reject: false, stdin: 'ignore', timeout: 15_000, all: true });
    return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), all: String(result.all ?? '') };
  };
  const describe = () => `supervisord (${address.config}${socket ? `, socket ${socket}` : ''})`;
  const unreachable = (output: string) => new TargetError(`${describe()} does not answer: ${output.trim().split('\n')[0] ?? 'no output'}`, { hint: 'start supervisord with this config (or fix supervisord.socket in the target file)' });
  return {
    describe,
    ...(logPath ? { logPath } : {}),
    // Reads go through XML-RPC on the socket (probes poll them); supervisorctl only where no socket is known.
    async getPid() {
      if (socket) return getSupervisordPid(socket);
      const result = await ctl(['pid']);
      const pid = Number(result.stdout.trim());
      return Number.isInteger(pid) && pid > 1 ? pid : undefined;
    },
    async listPrograms() {
      if (socket) return getAllProcessInfo(socket);
      const result = await ctl(['status']);
      const programs = parseStatus(result.stdout);
      // supervisorctl exits 3 when a program is not running: only no parsable line at all means no answer.
      if (programs.length === 0 && result.exitCode !== 0) throw unreachable(result.all);
      return programs;
    },
    async stopProgram(name) {
      const result = await ctl(['stop', name]);
      if (!/stopped|not running/i.test(result.all)) throw new TargetError(`${describe()}: stop ${name} failed: ${result.all.trim()}`);
    },
    async startProgram(name) {
      const result = await ctl(['start', name]);
      if (!/started|already started/i.test(result.all)) throw new TargetError(`${describe()}: start ${name} failed: ${result.all.trim()}`);
    },
  };
}

/** Parses `supervisorctl status`: `name STATE description` per line (groups print as group:name). */
export function parseStatus(stdout: string): SupervisedProgram[] {
  const programs: SupervisedProgram[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^(\S+)\s+([A-Z]+)\s*(.*)$/.exec(line.trim());
    if (!match || !STATES.has(match[2]!)) continue;
    const description = match[3]!.trim();
    const pid = /\bpid (\d+)/.exec(description)?.[1];
    programs.push({ name: match[1]!, state: match[2]!, description, ...(pid && match[2] === 'RUNNING' ? { pid: Number(pid) } : {}) });
  }
  return programs;
}

/** The socket and log a supervisord config names ([unix_http_server] file, [supervisord] logfile), paths as supervisord resolves them. */
export function readSupervisordSettings(config: string): { socket?: string; logfile?: string; pidfile?: string } {
  let text: string;
  try {
    text = readFileSync(config, 'utf8');
  } catch (error) {
    throw new TargetError(`cannot read supervisord config ${config}: ${(error as Error).message}`, { hint: 'name an existing file in supervisord.config', cause: error });
  }
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s;.*$/, '').trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) sections.set(header[1]!.trim(), (current = new Map()));
    else if (current) {
      const at = line.search(/[=:]/);
      if (at > 0) current.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
    }
  }
  // supervisord expands %(here)s to the config's folder; relative paths are relative to its cwd, taken here as that folder.
  const here = dirname(resolve(config));
  const path = (value: string | undefined) => {
    if (!value) return undefined;
    const expanded = value.replaceAll('%(here)s', here);
    return isAbsolute(expanded) ? expanded : resolve(here, expanded);
  };
  const socket = path(sections.get('unix_http_server')?.get('file'));
  const logfile = path(sections.get('supervisord')?.get('logfile'));
  const pidfile = path(sections.get('supervisord')?.get('pidfile'));
  return { ...(socket ? { socket } : {}), ...(logfile ? { logfile } : {}), ...(pidfile ? { pidfile } : {}) };
}
