// Process descriptions in guard messages must not depend on where the checkout lives.
import { describe, expect, test } from 'vitest';
import { shortenCommand } from '../../src/faults/proc-table.js';

describe('shortenCommand', () => {
  test('absolute paths become file names, so a deep checkout still shows the script', () => {
    const deep = `/usr/bin/node /${'nested/'.repeat(12)}dist/targets/reference/agent.js --dir /tmp/x`;
    expect(shortenCommand(deep)).toBe('node agent.js --dir x');
  });

  test('a long command is cut at max with an ellipsis; a short one and relative words are kept', () => {
    expect(shortenCommand('sleep 5')).toBe('sleep 5');
    expect(shortenCommand('sh -c ./run.sh /')).toBe('sh -c ./run.sh /');
    const cut = shortenCommand(`python3 ${'x'.repeat(80)}`, 20);
    expect(cut).toHaveLength(20);
    expect(cut.endsWith('…')).toBe(true);
  });
});
