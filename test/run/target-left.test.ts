// A target faultline started and could not stop is residue: the run exits 4 even when another error
// (here a guard refusing the fault's plan) ended it. The stop is real; only its report is made to say
// that something survived, as a process SIGKILL cannot end would.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { RollbackError } from '../../src/errors.js';
import { readJournal } from '../../src/journal/reader.js';
import { Ledger } from '../../src/run/ledger.js';
import { runScenarios } from '../../src/run/run-scenarios.js';
import { loadScenarios } from '../../src/scenario/load.js';

vi.mock('../../src/targets/drivers/reference-recorded-start.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/targets/drivers/reference-recorded-start.js')>();
  return {
    ...original,
    openRecordedHandle: (async (record, open, lifecycle) => {
      const opened = await original.openRecordedHandle(record, open, lifecycle);
      const { handle } = opened;
      return {
        ...opened,
        handle: {
          get target() {
            return handle.target;
          },
          managed: handle.managed,
          close: async () => ({ ...(await handle.close()), complete: false, left: ['1 process(es) of uid 600001 (pids 4242)'] }),
        },
      };
    }) as typeof original.openRecordedHandle,
  };
});

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'fl-target-left-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

test('a scenario that throws and a target left running: exit 4 (RollbackError with the error as its cause), journal says to recover', async () => {
  const file = join(work, 'outside.yaml');
  writeFileSync(file, 'id: outside\ntitle: a path outside the roots\nfault: { type: config.corrupt, mode: empty, path: ../../etc/hostname }\nsteadyState:\n  - { probe: tmux.session, session: tmux-orc }\n');
  const scenarios = await loadScenarios([file]);
  const run = runScenarios(scenarios, { heal: true, gate: false, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'state')) });
  const error = await run.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RollbackError);
  expect((error as RollbackError).exitCode).toBe(4);
  expect((error as RollbackError).message).toMatch(/and a target faultline started is still running$/);
  const [runDir] = readdirSync(join(work, 'reports')).filter((name) => name !== 'latest');
  const journal = await readJournal(join(work, 'reports', runDir!, 'journal.jsonl'));
  expect(journal.some((event) => event.type === 'note' && /the target is not down .*run `faultline recover`/.test(String(event.message)))).toBe(true);
  expect(journal.find((event) => event.type === 'run.end')).toMatchObject({ verdict: 'rollback-failed', exitCode: 4 });
});
