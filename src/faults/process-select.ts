// Selects the processes a process fault acts on — by pidfile, command-line pattern or tmux pane — and
// refuses anything that is not the target's, pid 1, faultline itself or one of its ancestors.
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { describeDeclaredProcess, resolveDeclaredProcess } from '../targets/declared-processes.js';
import { getTargetDriver } from '../targets/drivers/registry.js';
import type { Capability, DeclaredProcess, Target } from '../targets/types.js';
import type { FaultState } from './types.js';
import { resolveGuardedPath } from './guards.js';
import { expandTargetProcesses, findTargetRoots, getProtectedPids, readPidFileSync } from './process-guards.js';
import { getDescendants, readProcessTable, shortenCommand, type ProcInfo } from './proc-table.js';
import { describeSocket } from './tmux-objects.js';
import { findPaneByAddress } from './tmux-panes.js';
import { checkPatternStatically, checkPidFileStatically, getMatchableCommand } from './process-plan-checks.js';

/** Most processes one fault may signal. */
export const MAX_PROCESSES = 16;

/** Params shared by process.kill and process.stop: exactly one of pidfile, matches, pane, process, program or role. */
export const processSelectorProperties = {
  process: Type.Optional(Type.String({ minLength: 1, description: 'A process the target file declares (`processes:` name): its pidfile, pattern or program.' })),
  program: Type.Optional(Type.String({ minLength: 1, description: 'A program of the target’s supervisor (needs the supervisor capability): its current pid.' })),
  pidfile: Type.Optional(Type.String({ minLength: 1, description: 'A pidfile under the target roots (relative to the target home), e.g. run/scheduler.pid.' })),
  matches: Type.Optional(Type.String({ minLength: 1, description: 'Regular expression matched against the command lines (argv joined by spaces) of the target’s processes.' })),
  role: Type.Optional(Type.String({ minLength: 1, description: 'A role the target’s driver can name a process for, looked up when the fault is prepared (the etcd target: leader, the member a majority follows).' })),
  pane: Type.Optional(Type.String({ minLength: 1, description: 'A pane of the target’s tmux server: session:window[.pane] (window by name or index, pane index 0 by default), e.g. proj-a:Claude-Agent.0, or a pane id (%3).' })),
  descendants: Type.Optional(Type.Boolean({ default: false, description: 'Also act on the descendants of the selected processes.' })),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PROCESSES, default: 1, description: `Most processes to act on (at most ${MAX_PROCESSES}); a selection of more is refused.` })),
};

/** The selector fields as a fault receives them. */
export interface ProcessSelector {
  process?: string;
  program?: string;
  role?: string;
  pidfile?: string;
  matches?: string;
  pane?: string;
  descendants?: boolean;
  count?: number;
}

/** What a selector needs of the target beyond its core: a pane needs tmux, a program a supervisor. */
export function getSelectorNeeds(selector: ProcessSelector): Capability[] {
  return [...(selector.pane !== undefined ? ['tmux' as const] : []), ...(selector.program !== undefined ? ['supervisor' as const] : [])];
}

/** One selected process with what identifies it (pid + start time) and why it counts as the target's. */
export interface SelectedProcess {
  pid: number;
  startTime: number;
  command: string;
  why: string;
}

/** Checks what can be checked without the live target; returns a description of the selection. */
export function planProcessSelection(selector: ProcessSelector, target: Target): string {
  const given = (['pidfile', 'matches', 'pane', 'process', 'program', 'role'] as const).filter((key) => selector[key] !== undefined);
  if (given.length !== 1) {
    throw new GuardError(`fault: give exactly one of pidfile, matches, pane, process, program or role${given.length > 1 ? `; got ${given.join(' and ')}` : ''}`);
  }
  const tree = selector.descendants ? ' and their descendants' : '';
  if (selector.role !== undefined) {
    const roles = getTargetDriver(target.driver).roles ?? [];
    if (!roles.includes(selector.role)) throw new GuardError(`fault.role: target ${target.name} (driver ${target.driver}) knows ${roles.length > 0 ? `only the roles ${roles.join(', ')}` : 'no roles'}; got ${JSON.stringify(selector.role)}`, { hint: 'select the process by process, pidfile or pattern' });
    return `the process that holds the role ${selector.role} when the fault is prepared${tree}`;
  }
  if (selector.process !== undefined) return `declared process ${selector.process} (${describeDeclaredProcess(getDeclaredProcess(target, selector.process))})${tree}`;
  if (selector.program !== undefined) {
    if (!target.supervisor) throw new GuardError(`fault.program: target ${target.name} has no supervisor (the program selector needs the supervisor capability)`, { hint: 'name supervisord in the target file (supervisord.config), or select the process by pidfile or pattern' });
    return `the process of supervisor program ${selector.program} (${target.supervisor.describe()})${tree}`;
  }
  if (selector.pane !== undefined && !target.socket) throw new GuardError(`fault.pane: target ${target.name} has no tmux server (the pane selector needs the tmux capability)`, { hint: 'select the process by pidfile, matches, process or program' });
  if (selector.pidfile !== undefined) {
    const path = resolveGuardedPath(target, selector.pidfile, 'fault.pidfile');
    checkPidFileStatically(path, 'fault.pidfile');
    return `the process in ${path}${tree}`;
  }
  if (selector.pane !== undefined) return `the process in tmux pane ${selector.pane} on ${describeSocket(target)}${tree}`;
  try {
    new RegExp(selector.matches!);
  } catch (error) {
    throw new GuardError(`fault.matches: not a valid regular expression (${(error as Error).message})`);
  }
  checkPatternStatically(selector.matches!, 'fault.matches');
  return `the target’s processes whose own command (faultline’s directory left out) matches /${selector.matches}/${tree} (at most ${selector.count ?? 1})`;
}

/** The guards every process fault states in its plan. */
export function describeProcessGuards(target: Target): string[] {
  const driver = getTargetDriver(target.driver);
  const anchors = [
    ...(target.socket ? [`its tmux server on ${describeSocket(target)}`, 'processes in its panes'] : []),
    ...(driver.describeOwnedProcesses ? [driver.describeOwnedProcesses(target)] : []),
    ...((target.processes ?? []).length > 0 ? [`its declared processes (${target.processes!.map((declared) => declared.name).join(', ')})`] : []),
    ...(driver.trustsScenarioPidfiles ? ['pids recorded in the pidfiles a scenario names'] : []),
  ];
  return [
    `only the target’s processes: ${anchors.join(', ')}, and their descendants`,
    'never pid 1, faultline itself, its children or its ancestors; a pid is re-checked by its start time before each signal',
  ];
}

/** Finds the live processes the selector names; throws GuardError naming the field when any is not allowed. */
export async function selectProcesses(selector: ProcessSelector, target: Target): Promise<SelectedProcess[]> {
  planProcessSelection(selector, target);
  const table = readProcessTable();
  const named = await findNamedProcesses(selector, target, table);
  // A pidfile the scenario names vouches for its pid on targets faultline did not start; the reference target's own are run/*.pid.
  const roots = await findTargetRoots(target, table, getTargetDriver(target.driver).trustsScenarioPidfiles ? named.pidFiles : new Map());
  const protectedPids = getProtectedPids(table, roots);
  const owned = expandTargetProcesses(table, roots);
  const selected = new Map<number, string>();
  for (const pid of named.pids) {
    const refusal = protectedPids.get(pid);
    if (refusal) throw new GuardError(`${named.field}: refusing pid ${pid}: it is ${refusal}`, { hint: 'faultline never signals itself, its ancestors or init' });
    const why = owned.get(pid);
    if (!why) throw new GuardError(`${named.field}: pid ${pid} (${describeCommand(table.get(pid))}) is not one of the target’s processes`, { hint: 'process faults only act on the target’s tmux server, pane processes, recorded pids and their descendants' });
    selected.set(pid, why);
  }
  if (selector.matches !== undefined) {
    const pattern = new RegExp(selector.matches);
    for (const [pid, why] of owned) if (!protectedPids.has(pid) && pattern.test(getMatchableCommand(table.get(pid)?.argv ?? []))) selected.set(pid, why);
  }
  if (selector.descendants) {
    for (const pid of getDescendants(table, [...selected.keys()])) if (!protectedPids.has(pid) && !selected.has(pid)) selected.set(pid, owned.get(pid) ?? `a descendant of a selected process`);
  }
  if (selected.size === 0) throw new GuardError(`${named.field}: no live process of the target matches ${describeSelector(selector)}`);
  const count = selector.count ?? 1;
  const list = [...selected.keys()].sort((a, b) => a - b);
  if (list.length > count) {
    throw new GuardError(`fault.count: ${list.length} processes selected (${list.map((pid) => `${pid} ${shortenCommand(describeCommand(table.get(pid)), 40)}`).join('; ')}), more than count ${count}`, {
      hint: `narrow the selection or raise count (at most ${MAX_PROCESSES})`,
    });
  }
  return list.map((pid) => ({ pid, startTime: table.get(pid)!.startTime, command: describeCommand(table.get(pid)), why: selected.get(pid)! }));
}

/** For a plan: the target's live processes a pattern selects now (empty when the target is not running); reads, never signals. */
export async function findCurrentMatches(selector: ProcessSelector, target: Target): Promise<string[]> {
  if (selector.matches === undefined) return [];
  const table = readProcessTable();
  const roots = await findTargetRoots(target, table);
  if (roots.size === 0) return [];
  const protectedPids = getProtectedPids(table, roots);
  const pattern = new RegExp(selector.matches);
  return [...expandTargetProcesses(table, roots).keys()]
    .filter((pid) => !protectedPids.has(pid) && pattern.test(getMatchableCommand(table.get(pid)?.argv ?? [])))
    .sort((a, b) => a - b)
    .map((pid) => `pid ${pid} ${shortenCommand(getMatchableCommand(table.get(pid)?.argv ?? []), 80)}`);
}

/** Plan lines naming what a pattern selects now (for `--dry-run`); nothing for a pidfile or pane selector. */
export async function describeCurrentMatches(selector: ProcessSelector, target: Target): Promise<string[]> {
  if (selector.matches === undefined) return [];
  const found = await findCurrentMatches(selector, target);
  if (found.length === 0) return ['matching now: no live process of the target (the target is not running, or nothing matches)'];
  return found.map((line) => `matching now: ${line}`);
}

// Pids named directly by a pidfile or a pane (a pattern names none: it filters the target's processes).
async function findNamedProcesses(selector: ProcessSelector, target: Target, table: ReadonlyMap<number, ProcInfo>): Promise<{ field: string; pids: number[]; pidFiles: Map<number, string> }> {
  if (selector.pidfile !== undefined) {
    const path = resolveGuardedPath(target, selector.pidfile, 'fault.pidfile');
    const pid = readPidFileSync(path);
    if (pid === undefined) throw new GuardError(`fault.pidfile: ${path} holds no pid (missing, empty or malformed)`);
    if (!table.has(pid)) throw new GuardError(`fault.pidfile: pid ${pid} from ${path} is not running`);
    return { field: 'fault.pidfile', pids: [pid], pidFiles: new Map([[pid, `recorded in ${selector.pidfile}`]]) };
  }
  if (selector.process !== undefined) {
    const declared = getDeclaredProcess(target, selector.process);
    const pids = await resolveDeclaredProcess(target, declared, table);
    if (pids.length === 0) throw new GuardError(`fault.process: no live process for ${declared.name} (${describeDeclaredProcess(declared)})`, { hint: 'start it first; the steady state should check it runs' });
    return { field: 'fault.process', pids, pidFiles: new Map() };
  }
  if (selector.role !== undefined) {
    const declared = getDeclaredProcess(target, await getTargetDriver(target.driver).findRoleProcess!(target, selector.role));
    const pids = await resolveDeclaredProcess(target, declared, table);
    if (pids.length === 0) throw new GuardError(`fault.role: ${selector.role} ${declared.name} has no live process (${describeDeclaredProcess(declared)})`);
    return { field: 'fault.role', pids, pidFiles: new Map() };
  }
  if (selector.program !== undefined) {
    const programs = await target.supervisor!.listPrograms();
    const program = programs.find((candidate) => candidate.name === selector.program);
    if (!program) throw new GuardError(`fault.program: ${target.supervisor!.describe()} has no program ${selector.program}`, { hint: `its programs: ${programs.map((candidate) => candidate.name).join(', ') || 'none'}` });
    if (program.pid === undefined || !table.has(program.pid)) throw new GuardError(`fault.program: program ${program.name} is ${program.state}, not running (${program.description})`);
    return { field: 'fault.program', pids: [program.pid], pidFiles: new Map() };
  }
  if (selector.pane !== undefined) {
    const pane = await findPaneByAddress(target, selector.pane);
    return { field: 'fault.pane', pids: [pane.pid], pidFiles: new Map() };
  }
  return { field: 'fault.matches', pids: [], pidFiles: new Map() };
}

// The declaration of a `process:` selector; GuardError listing the declared names when there is none.
function getDeclaredProcess(target: Target, name: string): DeclaredProcess {
  const declared = target.processes?.find((candidate) => candidate.name === name);
  if (declared) return declared;
  const names = (target.processes ?? []).map((candidate) => candidate.name);
  throw new GuardError(`fault.process: target ${target.name} declares no process ${JSON.stringify(name)}`, { hint: names.length > 0 ? `declared: ${names.join(', ')}` : 'declare it in the target file (processes:)' });
}

function describeSelector(selector: ProcessSelector): string {
  if (selector.process !== undefined) return `process ${selector.process}`;
  if (selector.program !== undefined) return `program ${selector.program}`;
  if (selector.role !== undefined) return `role ${selector.role}`;
  if (selector.pidfile !== undefined) return `pidfile ${selector.pidfile}`;
  if (selector.pane !== undefined) return `pane ${selector.pane}`;
  return `/${selector.matches}/`;
}

function describeCommand(info: ProcInfo | undefined): string {
  return info ? info.argv.join(' ') || `[pid ${info.pid}]` : '(gone)';
}

/** The processes a prepare step selected, read back from the (ledger) state. */
export function getProcesses(state: FaultState): SelectedProcess[] {
  return Array.isArray(state.processes) ? (state.processes as SelectedProcess[]) : [];
}
