// Targets described by a YAML file: a system faultline did not start — a tmux orchestrator, programs
// under a supervisor, daemons it declares by pidfile or pattern — with optional lifecycle hooks.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { GuardError, InputError } from '../errors.js';
import { decodeInputText } from '../scenario/decode-text.js';
import { getInputLimits } from '../scenario/input-limits.js';
import { parseYamlDocuments, YamlLimitError, YamlSyntaxError } from '../scenario/positions.js';
import { readBoundedFile } from '../scenario/read-scenario-file.js';
import { runTmux, type TmuxSocket } from './tmux.js';
import { checkTmuxSocket } from './tmux-socket.js';
import { createCompleteStopReport, type Capability, type DeclaredProcess, type SupervisorControl, type Target, type TargetHandle, type TargetHooks } from './types.js';

/** Default bound of a lifecycle hook. */
export const DEFAULT_HOOK_TIMEOUT_MS = 60_000;

const HookSchema = Type.Object({
  command: Type.Array(Type.String(), { minItems: 1, description: 'Program and arguments (no shell); relative paths resolve against the target file’s folder. Runs as faultline’s own user (root, usually) with the target’s env and PATH: it is your command from your file, so make sure nothing on that PATH is writable by the target.' }),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, default: DEFAULT_HOOK_TIMEOUT_MS, description: 'The hook is killed (and counts as failed) after this long.' })),
}, { additionalProperties: false });

/** The schema of a target file (schemas/target.schema.json). */
export const TargetFileSchema = Type.Object({
  name: Type.String({ minLength: 1, description: 'Name in reports.' }),
  driver: Type.Optional(Type.Union([Type.Literal('external'), Type.Literal('supervisord')], {
    description: 'How faultline reaches the target: `supervisord` when a `supervisord:` block is given, else `external`.',
  })),
  tmux: Type.Optional(Type.Object({
    socketPath: Type.Optional(Type.String({ minLength: 1, description: 'tmux -S path.' })),
    socketName: Type.Optional(Type.String({ minLength: 1, description: 'tmux -L name (with tmpdir: the socket’s name in that directory, `default` if omitted).' })),
    tmpdir: Type.Optional(Type.String({ minLength: 1, description: 'A TMUX_TMPDIR: the server’s socket is <tmpdir>/tmux-<uid>/<socketName or default>.' })),
  }, { additionalProperties: false, description: 'The target’s tmux server (gives it the `tmux` capability): one of socketPath, socketName or tmpdir (+ socketName).' })),
  supervisord: Type.Optional(Type.Object({
    config: Type.String({ minLength: 1, description: 'supervisord’s configuration file (supervisorctl -c); its [unix_http_server] file is the socket.' }),
    socket: Type.Optional(Type.String({ minLength: 1, description: 'supervisord’s unix socket, when it is not the one the config names.' })),
    log: Type.Optional(Type.String({ minLength: 1, description: 'supervisord’s own log (its [supervisord] logfile), read as the target’s signals.' })),
  }, { additionalProperties: false, description: 'The supervisord the target’s programs run under (gives it the `supervisor` capability).' })),
  home: Type.String({ minLength: 1, description: 'Base directory; relative scenario paths resolve against it.' }),
  roots: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Directories faults may touch.' }),
  env: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Extra environment of the target’s processes.' })),
  signals: Type.Optional(Type.String({ description: 'A JSONL file of the target’s own detections and repairs ({"t": epochMs, "event": …}).' })),
  processes: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Name in plans and in `process.*` faults’ `process:` field.' }),
    pidfile: Type.Optional(Type.String({ minLength: 1, description: 'A pidfile holding the process’s pid (relative to the target home).' })),
    matches: Type.Optional(Type.String({ minLength: 1, description: 'Regular expression matched against command lines (argv joined by spaces).' })),
    user: Type.Optional(Type.String({ minLength: 1, description: 'With matches: only processes of this user (name or uid).' })),
    program: Type.Optional(Type.String({ minLength: 1, description: 'A program of the target’s supervisord.' })),
  }, { additionalProperties: false }), { description: 'Processes that are the target’s although no tmux pane or supervisor parents them (a nohup’d daemon reparented to init): one of pidfile, matches or program each.' })),
  hooks: Type.Optional(Type.Object({
    setup: Type.Optional(HookSchema),
    reset: Type.Optional(Type.Composite([HookSchema, Type.Object({
      when: Type.Optional(Type.Union([Type.Literal('always'), Type.Literal('on-failure'), Type.Literal('never')], {
        default: 'on-failure', description: 'Before every scenario and run (always), only after one that left the steady state failing (on-failure), or never.',
      })),
    })], { additionalProperties: false })),
    teardown: Type.Optional(HookSchema),
  }, { additionalProperties: false, description: 'Commands faultline runs around the target’s scenarios (output goes to the journal): setup before each scenario, reset when a run left it broken, teardown after.' })),
}, { additionalProperties: false, $id: 'https://faultline.dev/schemas/target.schema.json', title: 'faultline target' });
export type TargetFile = Static<typeof TargetFileSchema>;

/** The driver a target file asks for: its `driver`, else `supervisord` when it names one, else `external`. */
export function getFileDriverName(spec: TargetFile): 'external' | 'supervisord' {
  return spec.driver ?? (spec.supervisord ? 'supervisord' : 'external');
}

/** Extras a driver adds to a target file's core (its supervisor). */
export interface FileTargetExtras {
  supervisor?: SupervisorControl;
  signalsPath?: string;
}

/** Builds a Target from a parsed target file; relative paths resolve against the file's folder. */
export function createExternalTarget(spec: TargetFile, file: string, extras: FileTargetExtras = {}): Target {
  const base = dirname(file);
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  const home = abs(spec.home);
  const socket = spec.tmux ? resolveFileSocket(spec.tmux, abs) : undefined;
  const env = { ...Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined)), ...spec.env };
  const capabilities: Capability[] = [...(socket ? ['tmux' as const] : []), ...(extras.supervisor ? ['supervisor' as const] : [])];
  const processes: DeclaredProcess[] = (spec.processes ?? []).map((declared) => ({
    ...declared,
    ...(declared.pidfile !== undefined ? { pidfile: isAbsolute(declared.pidfile) ? declared.pidfile : resolve(home, declared.pidfile) } : {}),
  }));
  const signalsPath = spec.signals ? abs(spec.signals) : extras.signalsPath;
  const driver = getFileDriverName(spec);
  return {
    name: spec.name,
    driver,
    capabilities,
    home,
    ...(socket ? { socket } : {}),
    ...(extras.supervisor ? { supervisor: extras.supervisor } : {}),
    processes,
    roots: spec.roots.map(abs),
    env,
    ...(signalsPath ? { signalsPath } : {}),
    resolvePath: (path) => (isAbsolute(path) ? path : resolve(home, path)),
    tmux: async (args) => {
      if (!socket) throw new GuardError(`target ${spec.name} (${file}) has no tmux server: this needs the tmux capability`, { hint: 'add a `tmux:` block to the target file, or use a fault or probe that does not need tmux' });
      return runTmux(socket, args);
    },
    describe: () => ({
      name: spec.name, driver, file, home, capabilities,
      ...(socket ? { socket } : {}),
      ...(extras.supervisor ? { supervisor: extras.supervisor.describe() } : {}),
      ...(processes.length > 0 ? { processes: processes.map((declared) => declared.name) } : {}),
      roots: spec.roots.map(abs),
    }),
  };
}

/** The hooks of a target file, paths resolved and defaults applied. */
export function getFileHooks(spec: TargetFile, file: string): TargetHooks {
  const base = dirname(resolve(file));
  const hook = (given: { command: string[]; timeoutMs?: number }) => ({
    // A relative program path ("./start.sh") is the file's own; a bare name ("supervisord") is looked up in PATH.
    command: given.command.map((arg, index) => (index === 0 && arg.includes('/') && !isAbsolute(arg) ? resolve(base, arg) : arg)),
    timeoutMs: given.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS,
  });
  const hooks = spec.hooks ?? {};
  return {
    ...(hooks.setup ? { setup: hook(hooks.setup) } : {}),
    ...(hooks.reset ? { reset: { ...hook(hooks.reset), when: hooks.reset.when ?? 'on-failure' } } : {}),
    ...(hooks.teardown ? { teardown: hook(hooks.teardown) } : {}),
  };
}

// socketPath as given; a TMUX_TMPDIR resolved the way tmux resolves it (<tmpdir>/tmux-<uid>/<name>).
function resolveFileSocket(tmux: NonNullable<TargetFile['tmux']>, abs: (path: string) => string): TmuxSocket {
  if (tmux.socketPath) return { socketPath: abs(tmux.socketPath) };
  if (tmux.tmpdir) return { socketPath: join(abs(tmux.tmpdir), `tmux-${process.getuid?.() ?? 0}`, tmux.socketName ?? 'default') };
  return { socketName: tmux.socketName! };
}

/** Loads and checks a target file (schema, one socket, never the default tmux server). */
export async function readTargetFile(file: string): Promise<TargetFile> {
  const data = await readTargetFileValue(file);
  const validate = await getTargetFileValidator();
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((error) => `${file} ${error.instancePath.slice(1).replaceAll('/', '.') || '(top)'}: ${error.message}`);
    throw new InputError(`invalid target file ${file}`, { problems, hint: 'see schemas/target.schema.json' });
  }
  const spec = data as TargetFile;
  if (spec.tmux) {
    const given = (['socketPath', 'socketName', 'tmpdir'] as const).filter((key) => spec.tmux![key] !== undefined);
    const ok = given.length === 1 || (given.length === 2 && spec.tmux.tmpdir !== undefined && spec.tmux.socketName !== undefined);
    if (!ok) throw new InputError(`${file} tmux: give one of socketPath, socketName or tmpdir (tmpdir may come with socketName)`, { hint: 'faultline never uses the default tmux server' });
  }
  for (const [index, declared] of (spec.processes ?? []).entries()) {
    const given = (['pidfile', 'matches', 'program'] as const).filter((key) => declared[key] !== undefined);
    if (given.length !== 1) throw new InputError(`${file} processes.${index} (${declared.name}): give exactly one of pidfile, matches or program`);
    if (declared.user !== undefined && declared.matches === undefined) throw new InputError(`${file} processes.${index} (${declared.name}): user only narrows a matches pattern`);
    if (declared.program !== undefined && !spec.supervisord) throw new InputError(`${file} processes.${index} (${declared.name}): program needs a supervisord: block`);
    if (declared.matches !== undefined) {
      try {
        new RegExp(declared.matches);
      } catch (error) {
        throw new InputError(`${file} processes.${index}.matches: not a valid regular expression (${(error as Error).message})`);
      }
    }
  }
  if (getFileDriverName(spec) === 'supervisord' && !spec.supervisord) throw new InputError(`${file}: driver supervisord needs a supervisord: block naming its config`);
  if (spec.tmux) {
    const abs = (path: string) => resolve(dirname(file), path);
    // A tmpdir alone names its `default` socket, as tmux itself does with TMUX_TMPDIR set and no -L.
    const socketName = spec.tmux.socketName ?? (spec.tmux.tmpdir ? 'default' : undefined);
    checkTmuxSocket({ ...(socketName ? { socketName } : {}), ...(spec.tmux.socketPath ? { socketPath: abs(spec.tmux.socketPath) } : {}), ...(spec.tmux.tmpdir ? { tmpdir: abs(spec.tmux.tmpdir) } : {}) }, `${file} tmux`);
  }
  return spec;
}

// The file's one YAML document, read as scenario files are: bounded (a `target: /dev/zero` is refused, not
// read for ever), strict UTF-8, and within the YAML limits (an alias bomb is refused before anything walks it).
async function readTargetFileValue(file: string): Promise<unknown> {
  const read = await readBoundedFile(file, getInputLimits().maxBytes);
  if (typeof read === 'string') throw new InputError(`cannot read target file ${file}: ${read.replace(/^cannot read /, '')}`);
  const decoded = decodeInputText(read);
  if (!decoded.ok) throw new InputError(`cannot read target file ${file}:${decoded.point.line}:${decoded.point.column} ${decoded.reason}`);
  let documents;
  try {
    documents = parseYamlDocuments(decoded.text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    throw new InputError(`cannot read target file ${file}:${error.line}:${error.column} ${error instanceof YamlLimitError ? 'refused' : 'invalid YAML'}: ${error.message}`, { cause: error });
  }
  if (documents.length > 1) throw new InputError(`cannot read target file ${file}: expected one YAML document; got ${documents.length}`);
  return documents[0]?.value;
}

// Compiled once: validate opens every target file its scenarios name, and compiling costs far more than checking.
let targetFileValidator: Promise<ValidateFunction> | undefined;
function getTargetFileValidator(): Promise<ValidateFunction> {
  targetFileValidator ??= import('ajv').then(({ default: Ajv }) => new Ajv.default({ allErrors: true, strict: false }).compile(TargetFileSchema));
  return targetFileValidator;
}

/** Reads a target file and builds its Target (with its supervisor when it names one); starts nothing. */
export async function loadFileTarget(file: string): Promise<{ target: Target; spec: TargetFile; hooks: TargetHooks }> {
  const path = resolve(file);
  const spec = await readTargetFile(path);
  const extras: FileTargetExtras = {};
  if (spec.supervisord) {
    const { createSupervisordControl } = await import('./supervisord/control.js');
    const abs = (given: string) => (isAbsolute(given) ? given : resolve(dirname(path), given));
    extras.supervisor = createSupervisordControl({
      config: abs(spec.supervisord.config),
      ...(spec.supervisord.socket ? { socket: abs(spec.supervisord.socket) } : {}),
      ...(spec.supervisord.log ? { log: abs(spec.supervisord.log) } : {}),
    });
  }
  return { target: createExternalTarget(spec, path, extras), spec, hooks: getFileHooks(spec, path) };
}

/** Loads a target file as an unmanaged handle, without running its hooks (plans, recover). */
export async function openExternalTarget(file: string): Promise<TargetHandle> {
  const { target } = await loadFileTarget(file);
  return { target, managed: false, close: async () => createCompleteStopReport() };
}
