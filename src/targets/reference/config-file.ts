// orchestrator.conf: shell KEY=value lines (upstream checks it with `bash -n`), rendered and read here.

/** The settings the orchestrator's processes read from their config file. */
export interface OrchestratorConfig {
  projects: string[];
  checkinIntervalMs: number;
  logMaxBytes: number;
  tmpMaxFiles: number;
}

/** Result of reading a config file's keys (syntax is checked separately with `bash -n`). */
export type ConfigReadResult = { ok: true; config: OrchestratorConfig } | { ok: false; problem: string };

const PROJECT_NAME = /^[A-Za-z0-9_-]{1,32}$/;

/** True when `name` is usable as a tmux session name and a file name. */
export function isValidProjectName(name: string): boolean {
  return PROJECT_NAME.test(name);
}

/** Renders the config file; values are simple enough to need no shell escaping. */
export function renderConfig(config: OrchestratorConfig): string {
  return [
    '# faultline reference orchestrator (modelled on Tmux-Orchestrator); shell KEY=value, checked with bash -n',
    `PROJECTS="${config.projects.join(' ')}"`,
    `CHECKIN_INTERVAL_MS=${config.checkinIntervalMs}`,
    `LOG_MAX_BYTES=${config.logMaxBytes}`,
    `TMP_MAX_FILES=${config.tmpMaxFiles}`,
    '',
  ].join('\n');
}

/** Reads KEY=value lines (optionally quoted) into a map; later keys win, as in the shell. */
export function parseAssignments(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw);
    if (!match) continue;
    let value = match[2]!.trim();
    const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
    if (quoted) value = quoted[1]!;
    values.set(match[1]!, value);
  }
  return values;
}

/** Extracts and checks the keys the orchestrator needs; a missing or malformed key is a problem. */
export function readConfigText(text: string): ConfigReadResult {
  const values = parseAssignments(text);
  const projectsText = values.get('PROJECTS');
  if (projectsText === undefined) return { ok: false, problem: 'PROJECTS is missing' };
  const projects = projectsText.split(/[\s,]+/).filter(Boolean);
  const badProject = projects.find((name) => !isValidProjectName(name));
  if (badProject !== undefined) return { ok: false, problem: `PROJECTS has an invalid name "${badProject}"` };
  const numbers: Record<string, number> = {};
  for (const key of ['CHECKIN_INTERVAL_MS', 'LOG_MAX_BYTES', 'TMP_MAX_FILES']) {
    const value = values.get(key);
    if (value === undefined) return { ok: false, problem: `${key} is missing` };
    if (!/^\d+$/.test(value) || Number(value) <= 0) return { ok: false, problem: `${key} must be a positive integer, got "${value}"` };
    numbers[key] = Number(value);
  }
  return {
    ok: true,
    config: {
      projects,
      checkinIntervalMs: numbers.CHECKIN_INTERVAL_MS!,
      logMaxBytes: numbers.LOG_MAX_BYTES!,
      tmpMaxFiles: numbers.TMP_MAX_FILES!,
    },
  };
}
