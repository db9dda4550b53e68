// Checks across fields the schema cannot express: found by `faultline validate`, before any target starts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { validateScenarioFiles } from '../../src/scenario/load.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fl-check-params-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function validate(body: string): Promise<string[]> {
  writeFileSync(join(dir, 's.yaml'), `id: s\ntitle: s\n${body}`);
  return (await validateScenarioFiles([dir])).problems;
}

const killWindow = '{ type: tmux.kill-window, session: proj-a, window: Claude-Agent }';
const window = '  - { probe: tmux.window, session: proj-a, window: Claude-Agent }\n';

describe('checkScenarioParams', () => {
  test('file.stat: shared bits between modeForbids and modeRequires, and a mode of no bits, are refused', async () => {
    const problems = await validate(`fault: ${killWindow}\nsteadyState:\n${window}  - probe: file.stat\n    path: a.conf\n    modeForbids: "644"\n    modeRequires: "400"\n  - probe: file.stat\n    path: a.conf\n    modeRequires: "0"\n`);
    expect(problems).toEqual([
      expect.stringMatching(/s\.yaml:9:19 steadyState\.1\.modeRequires: shares bits 400 with modeForbids 644, so no mode could pass/),
      expect.stringMatching(/s\.yaml:12:19 steadyState\.2\.modeRequires: expected at least one permission bit; got "0"/),
    ]);
  });

  test('a composite whose delays plus stabilizeMs reach timeoutMs is refused (default timeoutMs counts too)', async () => {
    const steps = (delayMs: number) => `fault:\n  type: composite\n  steps:\n    - fault: ${killWindow}\n    - fault: ${killWindow}\n      delayMs: ${delayMs}\nsteadyState:\n${window}`;
    expect(await validate(`${steps(4600)}timeoutMs: 5000\nstabilizeMs: 500\n`)).toEqual([
      expect.stringMatching(/timeoutMs: expected more than the steps' delays plus stabilizeMs \(4600 \+ 500 ms\); got 5000/),
    ]);
    expect(await validate(`${steps(4000)}timeoutMs: 5000\nstabilizeMs: 500\n`)).toEqual([]);
    // Defaults: timeoutMs 30000, stabilizeMs 1000.
    expect(await validate(steps(29_500))).toEqual([expect.stringMatching(/\(29500 \+ 1000 ms\); got 30000/)]);
  });
});
