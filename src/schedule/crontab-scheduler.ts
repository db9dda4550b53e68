// Schedules in a crontab: the user's (through the `crontab` command), or a file given with --crontab or
// $FAULTLINE_CRONTAB (tests use a private one; never the machine's). Each plan is one marked block, so
// the rest of the crontab is kept byte for byte.
import { existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../util/files.js';
import type { HostScheduler, ScheduleEntry } from './scheduler-types.js';

const BEGIN = '# BEGIN faultline schedule ';
const END = '# END faultline schedule ';

/** A crontab scheduler on `file`, or on the user's crontab when no file is given. */
export function createCrontabScheduler(file?: string): HostScheduler {
  const store = file ? fileStore(file) : commandStore();
  return {
    kind: 'cron',
    where: file ?? 'the crontab of this user (crontab -l)',
    install: async (entry, hostTimezone) => {
      const lines = removeBlock((await store.read()).split('\n'), entry.name);
      while (lines.length > 0 && lines.at(-1) === '') lines.pop();
      lines.push(...renderBlock(entry, hostTimezone));
      await store.write(`${lines.join('\n')}\n`);
      const zone = entry.timezone === hostTimezone ? [] : [`cron reads the expression in ${entry.timezone} through CRON_TZ (cronie and busybox do; Debian's cron ignores CRON_TZ and would use ${hostTimezone}: there, prefer a systemd timer or set the plan's timezone to ${hostTimezone})`];
      return [`wrote ${entry.name} into ${file ?? 'the crontab'}`, ...zone];
    },
    list: async () => parseBlocks((await store.read()).split('\n')),
    remove: async (name) => {
      const before = (await store.read()).split('\n');
      const after = removeBlock(before, name);
      if (after.length === before.length) return false;
      await store.write(after.join('\n'));
      return true;
    },
  };
}

/** The block of one entry: comments that `list` reads back, then the line cron runs. */
export function renderBlock(entry: ScheduleEntry, hostTimezone: string): string[] {
  const zoned = entry.timezone !== hostTimezone;
  return [
    `${BEGIN}${entry.name}`,
    `# plan: ${oneLine(entry.plan)}`,
    `# title: ${oneLine(entry.title)}`,
    `# cron: ${entry.cron}`,
    `# timezone: ${entry.timezone}`,
    // CRON_TZ applies to every later line: set for this entry only, then back to the host's zone.
    ...(zoned ? [`CRON_TZ=${entry.timezone}`] : []),
    `${entry.cron} cd ${quoteShell(entry.cwd)} && ${entry.command.map(quoteShell).join(' ')} >> ${quoteShell(entry.log)} 2>&1`,
    ...(zoned ? [`CRON_TZ=${hostTimezone}`] : []),
    `${END}${entry.name}`,
  ];
}

function parseBlocks(lines: readonly string[]): ScheduleEntry[] {
  const entries: ScheduleEntry[] = [];
  let current: Partial<ScheduleEntry> & { name?: string } | undefined;
  for (const line of lines) {
    if (line.startsWith(BEGIN)) current = { name: line.slice(BEGIN.length).trim() };
    else if (current && line.startsWith(END)) {
      if (current.name && current.plan && current.cron && current.timezone) {
        entries.push({ name: current.name, plan: current.plan, title: current.title ?? '', cron: current.cron, timezone: current.timezone, command: current.command ?? [], cwd: current.cwd ?? '', log: current.log ?? '' });
      }
      current = undefined;
    } else if (current) {
      const comment = /^# (plan|title|cron|timezone): (.*)$/.exec(line);
      if (comment) (current as Record<string, string>)[comment[1]!] = comment[2]!;
    }
  }
  return entries;
}

function removeBlock(lines: readonly string[], name: string): string[] {
  const kept: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (line === `${BEGIN}${name}`) inside = true;
    else if (inside && line === `${END}${name}`) inside = false;
    else if (!inside) kept.push(line);
  }
  return kept;
}

// cron hands the line to /bin/sh; a % there means a newline unless escaped.
function quoteShell(value: string): string {
  if (/[\n\r\0]/.test(value)) throw new InputError(`a path with a line break cannot go into a crontab: ${JSON.stringify(value)}`);
  return `'${value.replace(/'/g, "'\\''").replace(/%/g, '\\%')}'`;
}

function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

interface CrontabStore {
  read(): Promise<string>;
  write(text: string): Promise<void>;
}

function fileStore(file: string): CrontabStore {
  return {
    read: async () => (existsSync(file) ? readFileSync(file, 'utf8') : ''),
    write: async (text) => writeFileAtomic(file, text),
  };
}

// The user's crontab through the `crontab` command, the only supported way to change it.
function commandStore(): CrontabStore {
  const run = async (args: string[], input?: string) => {
    try {
      return await execa('crontab', args, { reject: false, ...(input === undefined ? {} : { input }) });
    } catch (error) {
      throw new InputError(`cannot run \`crontab\`: ${(error as Error).message}`, { cause: error, hint: 'install cron (apt-get install cron), or use a systemd timer, or pass --crontab FILE' });
    }
  };
  return {
    read: async () => {
      const result = await run(['-l']);
      if (result.exitCode === 0) return String(result.stdout);
      if (/no crontab for/i.test(String(result.stderr))) return '';
      if (result.failed && (result as { code?: string }).code === 'ENOENT') throw new InputError('there is no `crontab` command on this machine', { hint: 'install cron (apt-get install cron), or use a systemd timer, or pass --crontab FILE' });
      throw new InputError(`crontab -l failed: ${String(result.stderr).trim() || `exit ${result.exitCode}`}`);
    },
    write: async (text) => {
      const result = await run(['-'], text);
      if (result.exitCode !== 0) throw new InputError(`crontab - refused the new crontab: ${String(result.stderr).trim() || `exit ${result.exitCode}`}`);
    },
  };
}
