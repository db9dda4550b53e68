// The shared ssh connections (ControlMaster) a fleet run opened: closed when the run is done with its
// hosts, so no ssh process outlives it by ControlPersist.
import { rmdirSync } from 'node:fs';
import { execa } from 'execa';
import { sleep } from '../util/clock.js';
import { toCloseMasterArgv } from './ssh-command.js';

/** Ends the shared ssh connections (ControlMaster) that agent argvs opened: best effort, bounded. */
export async function closeSharedConnections(agentArgvs: readonly (readonly string[])[], controlDir: string): Promise<void> {
  await Promise.all(agentArgvs.map(async (argv) => {
    const close = toCloseMasterArgv(argv);
    if (close) await execa(close[0]!, close.slice(1), { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', timeout: 5_000 });
  }));
  // The socket directory goes once no connection is left in it (a master removes its socket as it exits).
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      rmdirSync(controlDir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY') return;
      await sleep(50);
    }
  }
}
