// Helpers for probe and measurement tests: a tmux server on a private socket, a target around a temp
// dir, and probes built from scenario-like specs. Nothing here touches the default tmux server.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { createExternalTarget } from '../../src/targets/external.js';
import type { Target } from '../../src/targets/types.js';
import { closeProbeSet, createProbeSet, type NamedProbe } from '../../src/run/probe-set.js';
import type { ProbeSpec } from '../../src/scenario/types.js';

/** A temp dir with a target around it; `socket` is where a private tmux server may listen. */
export interface Sandbox {
  dir: string;
  socket: string;
  target: Target;
  /** Runs tmux on the private socket; resolves with the exit code and stdout. */
  tmux(args: string[]): Promise<{ exitCode: number; stdout: string }>;
  /** Probes of one set (sharing one control client), closed by dispose(). */
  probes(specs: ProbeSpec[], defaultIntervalMs?: number): NamedProbe[];
  dispose(): Promise<void>;
}

/** Creates a sandbox; call dispose() in afterEach (kills its tmux server, removes the dir). */
export function createSandbox(): Sandbox {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fl-probe-')));
  const socket = join(dir, 'tmux.sock');
  const target = createExternalTarget({ name: 'sandbox', tmux: { socketPath: socket }, home: dir, roots: [dir] }, join(dir, 'target.yaml'));
  const sets: NamedProbe[][] = [];
  const tmux = async (args: string[]) => {
    const result = await execa('tmux', ['-f', '/dev/null', '-S', socket, ...args], { reject: false, stdin: 'ignore', timeout: 5000, env: { TMUX: '' } });
    return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout) };
  };
  return {
    dir,
    socket,
    target,
    tmux,
    probes(specs, defaultIntervalMs = 50) {
      const set = createProbeSet(specs, target, defaultIntervalMs);
      sets.push(set);
      return set;
    },
    async dispose() {
      for (const set of sets) await closeProbeSet(set);
      await tmux(['kill-server']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Checks a probe once. */
export async function check(probe: NamedProbe): Promise<{ ok: boolean; detail?: string }> {
  return probe.probe.check();
}

/** Polls `condition` every 5 ms until true, failing after `timeoutMs`. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
