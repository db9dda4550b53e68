// Fault: stop a program through the target's supervisor (an operator's `supervisorctl stop`, a deploy
// gone wrong); rollback starts it again. The supervisor does not restart a program it was told to stop.
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';
import { sleep } from '../util/clock.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

/** How long rollback waits for the restarted program to reach RUNNING (supervisorctl start waits startsecs itself). */
const RUNNING_WAIT_MS = 30_000;

export default defineFault({
  type: 'supervisor.stop-program',
  needs: ['supervisor'],
  summary: 'stops a program through the target’s supervisor; rollback starts it again',
  params: defineFaultParams('supervisor.stop-program', {
    program: Type.String({ minLength: 1, description: 'The program, as the supervisor names it (group:name for a group member).' }),
  }, 'Stop a supervised program through its supervisor.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    const supervisor = getSupervisor(target);
    return {
      touches: [`stop program ${params.program} through ${supervisor.describe()}; rollback: start it and wait for RUNNING`],
      guards: ['only a program the target’s supervisor lists, and only while it is RUNNING (checked when the run starts)', 'nothing is signalled directly: the supervisor stops its own child'],
    };
  },
  async prepare(params, { target }) {
    const programs = await getSupervisor(target).listPrograms();
    const program = programs.find((candidate) => candidate.name === params.program);
    if (!program) throw new GuardError(`fault.program: ${getSupervisor(target).describe()} has no program ${params.program}`, { hint: `its programs: ${programs.map((candidate) => candidate.name).join(', ') || 'none'}` });
    if (program.state !== 'RUNNING') throw new GuardError(`fault.program: program ${params.program} is ${program.state}, not RUNNING; stopping it would change nothing`);
    return { program: params.program, pid: program.pid ?? null };
  },
  async inject(params, { target }) {
    await getSupervisor(target).stopProgram(params.program);
  },
  async verify(params, { target }) {
    const program = (await getSupervisor(target).listPrograms()).find((candidate) => candidate.name === params.program);
    return program !== undefined && ['STOPPED', 'STOPPING', 'EXITED'].includes(program.state);
  },
  async rollback(params, { target }) {
    const supervisor = getSupervisor(target);
    const state = async () => (await supervisor.listPrograms()).find((candidate) => candidate.name === params.program)?.state;
    if ((await state()) !== 'RUNNING') await supervisor.startProgram(params.program).catch(() => undefined);
    const deadline = performance.now() + RUNNING_WAIT_MS;
    let now = await state();
    while (now !== 'RUNNING' && performance.now() < deadline) {
      await sleep(100);
      now = await state();
    }
    return now === 'RUNNING'
      ? { ok: true, detail: `started ${params.program} again through ${supervisor.describe()}: RUNNING` }
      : { ok: false, detail: `${params.program} is ${now ?? 'missing'} after start through ${supervisor.describe()}` };
  },
});

function getSupervisor(target: Target) {
  if (!target.supervisor) throw new GuardError(`fault: target ${target.name} has no supervisor (supervisor.stop-program needs the supervisor capability)`, { hint: 'name supervisord in the target file (supervisord.config)' });
  return target.supervisor;
}
