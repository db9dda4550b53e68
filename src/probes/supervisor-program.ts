// Probe: a program of the target's supervisor is in a state (RUNNING by default), read through
// supervisord's XML-RPC on its unix socket (no process spawned per sample).
import { Type } from '@sinclair/typebox';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';

const STATES = ['RUNNING', 'STARTING', 'BACKOFF', 'STOPPED', 'STOPPING', 'EXITED', 'FATAL', 'UNKNOWN'] as const;

export default defineProbe({
  type: 'supervisor.program',
  needs: ['supervisor'],
  summary: 'passes while a supervised program is in the given state (RUNNING by default), as its supervisor reports it',
  defaultIntervalMs: 100,
  params: defineProbeParams('supervisor.program', {
    program: Type.String({ minLength: 1, description: 'The program, as the supervisor names it (group:name for a group member).' }),
    state: Type.Optional(Type.Union(STATES.map((state) => Type.Literal(state)), { default: 'RUNNING', description: 'The state that passes.' })),
  }, 'A supervised program is in a state.'),
  create(params, { target }) {
    const wanted = params.state ?? 'RUNNING';
    return {
      async check() {
        if (!target.supervisor) return { ok: false, detail: `target ${target.name} has no supervisor` };
        let programs;
        try {
          programs = await target.supervisor.listPrograms();
        } catch (error) {
          return { ok: false, detail: (error as Error).message };
        }
        const program = programs.find((candidate) => candidate.name === params.program);
        if (!program) return { ok: false, detail: `no program ${params.program}` };
        return program.state === wanted ? { ok: true, detail: `${program.name} ${program.state}` } : { ok: false, detail: `${program.name} ${program.state} (${program.description})` };
      },
    };
  },
});
