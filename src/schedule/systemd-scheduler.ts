// Schedules as systemd timers: <name>.timer (OnCalendar from the plan's cron, in its zone) starting
// <name>.service (a oneshot, so a timer never starts it while the previous run is still going).
// systemctl is only asked to reload and enable when systemd is the running init; otherwise the units
// are written and the message says they are not active.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../util/files.js';
import { parseCronExpression } from './cron-expression.js';
import type { HostScheduler, ScheduleEntry } from './scheduler-types.js';
import { toOnCalendar } from './systemd-calendar.js';

/** The unit folder: the system's for root, the user's otherwise (systemctl --user). */
export function getDefaultUnitDir(): string {
  return process.getuid?.() === 0 ? '/etc/systemd/system' : join(homedir(), '.config', 'systemd', 'user');
}

/** A systemd timer scheduler writing into `unitDir`; `active` = systemd runs here, so systemctl is used. */
export function createSystemdScheduler(unitDir: string, active: boolean): HostScheduler {
  const user = process.getuid?.() !== 0;
  const systemctl = async (args: string[]) => {
    const result = await execa('systemctl', [...(user ? ['--user'] : []), ...args], { reject: false });
    if (result.exitCode !== 0) throw new InputError(`systemctl ${args.join(' ')} failed: ${String(result.stderr).trim() || `exit ${result.exitCode}`}`);
  };
  return {
    kind: 'systemd',
    where: unitDir,
    install: async (entry) => {
      const units = renderUnits(entry);
      writeFileAtomic(join(unitDir, `${entry.name}.service`), units.service);
      writeFileAtomic(join(unitDir, `${entry.name}.timer`), units.timer);
      const done = [`wrote ${join(unitDir, `${entry.name}.timer`)} and .service`];
      if (!active) return [...done, 'systemd is not running here: the timer is written but not enabled'];
      await systemctl(['daemon-reload']);
      await systemctl(['enable', '--now', `${entry.name}.timer`]);
      return [...done, `enabled ${entry.name}.timer`];
    },
    list: async () => {
      if (!existsSync(unitDir)) return [];
      return readdirSync(unitDir).filter((file) => file.startsWith('faultline-') && file.endsWith('.service'))
        .map((file) => parseService(readFileSync(join(unitDir, file), 'utf8'), file.slice(0, -'.service'.length)))
        .filter((entry): entry is ScheduleEntry => entry !== undefined);
    },
    remove: async (name) => {
      const files = [`${name}.timer`, `${name}.service`].map((file) => join(unitDir, file)).filter((file) => existsSync(file));
      if (files.length === 0) return false;
      if (active) await systemctl(['disable', '--now', `${name}.timer`]).catch(() => undefined);
      for (const file of files) rmSync(file, { force: true });
      if (active) await systemctl(['daemon-reload']);
      return true;
    },
  };
}

/** The two units of an entry. X- keys are ignored by systemd and let `list` read the plan back. */
export function renderUnits(entry: ScheduleEntry): { service: string; timer: string } {
  const calendar = toOnCalendar(parseCronExpression(entry.cron, `${entry.plan} schedule.cron`), entry.timezone);
  const description = `faultline game day: ${entry.title.replace(/[\r\n]+/g, ' ')}`;
  const service = [
    '# Written by `faultline schedule install`; remove with `faultline schedule remove`.',
    '[Unit]',
    `Description=${escapeValue(description)}`,
    `X-Faultline-Plan=${escapeValue(entry.plan)}`,
    `X-Faultline-Title=${escapeValue(entry.title.replace(/[\r\n]+/g, ' '))}`,
    `X-Faultline-Cron=${entry.cron}`,
    `X-Faultline-Timezone=${entry.timezone}`,
    '',
    '[Service]',
    'Type=oneshot',
    `WorkingDirectory=${escapeValue(entry.cwd)}`,
    `ExecStart=${entry.command.map(quoteArgument).join(' ')}`,
    '',
  ].join('\n');
  const timer = [
    '# Written by `faultline schedule install`; remove with `faultline schedule remove`.',
    '[Unit]',
    `Description=${escapeValue(description)} (timer)`,
    '',
    '[Timer]',
    ...calendar.map((line) => `OnCalendar=${line}`),
    `Unit=${entry.name}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
  return { service, timer };
}

function parseService(text: string, name: string): ScheduleEntry | undefined {
  const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1]?.replace(/%%/g, '%');
  const [plan, cron, timezone] = [value('X-Faultline-Plan'), value('X-Faultline-Cron'), value('X-Faultline-Timezone')];
  if (!plan || !cron || !timezone) return undefined;
  return { name, plan, title: value('X-Faultline-Title') ?? '', cron, timezone, command: [], cwd: value('WorkingDirectory') ?? '', log: 'journalctl -u' };
}

// systemd expands % specifiers in most values: a literal % is %%.
function escapeValue(value: string): string {
  if (/[\n\r]/.test(value)) throw new InputError(`a line break cannot go into a systemd unit: ${JSON.stringify(value)}`);
  return value.replace(/%/g, '%%');
}

// ExecStart= splits on spaces and honours double quotes; $ and % are expanded unless doubled.
function quoteArgument(value: string): string {
  const escaped = escapeValue(value).replace(/\$/g, '$$$$').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return /[\s"'\\;]/.test(value) || value === '' ? `"${escaped}"` : escaped;
}
