// The contract of a host scheduler faultline installs plans into (systemd timers, crontab). faultline
// runs no daemon of its own: the host's scheduler starts `faultline schedule fire <plan>` at each time.

/** One plan's entry, as installed. */
export interface ScheduleEntry {
  name: string;
  plan: string;
  title: string;
  cron: string;
  timezone: string;
  /** The program and arguments the scheduler starts, and the folder it starts them in. */
  command: string[];
  cwd: string;
  /** Where the scheduled runs' output goes (cron has no journal of its own). */
  log: string;
}

/** What a scheduler can do. */
export interface HostScheduler {
  kind: 'systemd' | 'cron';
  /** Where entries are kept (a unit folder, a crontab), for messages. */
  where: string;
  /** Installs (or replaces) the entry; returns what it did, one line each. */
  install(entry: ScheduleEntry, hostTimezone: string): Promise<string[]>;
  list(): Promise<ScheduleEntry[]>;
  /** Removes the entry named; false when there was none. */
  remove(name: string): Promise<boolean>;
}
