// Targets described by a YAML file: a tmux orchestrator faultline did not start.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { InputError } from '../errors.js';
import { runTmux } from './tmux.js';
import { checkTmuxSocket } from './tmux-socket.js';
import { createCompleteStopReport, type Target, type TargetHandle } from './types.js';

/** The schema of a target file (schemas/target.schema.json). */
export const TargetFileSchema = Type.Object({
  name: Type.String({ minLength: 1, description: 'Name in reports.' }),
  tmux: Type.Object({
    socketPath: Type.Optional(Type.String({ minLength: 1, description: 'tmux -S path.' })),
    socketName: Type.Optional(Type.String({ minLength: 1, description: 'tmux -L name.' })),
  }, { additionalProperties: false, description: 'The orchestrator’s tmux server; one of socketPath or socketName.' }),
  home: Type.String({ minLength: 1, description: 'Base directory; relative scenario paths resolve against it.' }),
  roots: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Directories faults may touch.' }),
  env: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Extra environment of the target’s processes.' })),
  signals: Type.Optional(Type.String({ description: 'A JSONL file of the target’s own detections and repairs ({"t": epochMs, "event": …}).' })),
}, { additionalProperties: false, $id: 'https://faultline.dev/schemas/target.schema.json', title: 'faultline target' });
export type TargetFile = Static<typeof TargetFileSchema>;

/** Builds a Target from a parsed target file; relative paths resolve against the file's folder. */
export function createExternalTarget(spec: TargetFile, file: string): Target {
  const base = dirname(file);
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  const home = abs(spec.home);
  const socket = spec.tmux.socketPath ? { socketPath: abs(spec.tmux.socketPath) } : { socketName: spec.tmux.socketName! };
  const env = { ...Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined)), ...spec.env };
  return {
    name: spec.name,
    kind: 'external',
    home,
    socket,
    roots: spec.roots.map(abs),
    env,
    ...(spec.signals ? { signalsPath: abs(spec.signals) } : {}),
    resolvePath: (path) => (isAbsolute(path) ? path : resolve(home, path)),
    tmux: (args) => runTmux(socket, args),
    describe: () => ({ name: spec.name, kind: 'external', file, home, socket, roots: spec.roots.map(abs) }),
  };
}

/** Loads and checks a target file, and wraps it in an unmanaged handle. */
export async function openExternalTarget(file: string): Promise<TargetHandle> {
  const [{ default: yaml }, { default: Ajv }] = await Promise.all([import('js-yaml'), import('ajv')]);
  let data: unknown;
  try {
    data = yaml.load(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read target file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const validate = new Ajv.default({ allErrors: true, strict: false }).compile(TargetFileSchema);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((error) => `${file} ${error.instancePath.slice(1).replaceAll('/', '.') || '(top)'}: ${error.message}`);
    throw new InputError(`invalid target file ${file}`, { problems, hint: 'see schemas/target.schema.json' });
  }
  const spec = data as TargetFile;
  if (!spec.tmux.socketPath === !spec.tmux.socketName) {
    throw new InputError(`${file} tmux: give exactly one of socketPath or socketName`, { hint: 'faultline never uses the default tmux server' });
  }
  const target = createExternalTarget(spec, resolve(file));
  checkTmuxSocket(target.socket, `${file} tmux`);
  return { target, managed: false, close: async () => createCompleteStopReport() };
}
