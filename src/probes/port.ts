// Where network probes find their port: a number in the scenario, or a file the target writes it to.
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { Target } from '../targets/types.js';

/** Params of a port given directly or through a file (the reference health server's port changes on restart). */
export const portParams = {
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535, description: 'TCP port (or give portFile).' })),
  portFile: Type.Optional(Type.String({ minLength: 1, description: 'File holding the port, relative to the target home (e.g. run/proj-a.health.port).' })),
};

/** Resolves the port now (the file is read on every check), or says why there is none. */
export async function readPort(target: Target, params: { port?: number; portFile?: string }): Promise<{ port: number } | { detail: string }> {
  if (params.port !== undefined) return { port: params.port };
  if (params.portFile === undefined) return { detail: 'give port or portFile' };
  try {
    const port = Number((await readFile(target.resolvePath(params.portFile), 'utf8')).trim());
    if (Number.isInteger(port) && port > 0 && port < 65_536) return { port };
    return { detail: `${params.portFile} holds no port number` };
  } catch (error) {
    return { detail: `cannot read ${params.portFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
}
