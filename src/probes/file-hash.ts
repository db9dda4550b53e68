// Probe: a file's sha256 equals the expected one (unchanged config, binary, …); event-driven through fs.watch.
import { Type } from '@sinclair/typebox';
import { hashBytes } from '../util/hash.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { createStatCachedCheck } from './file-cache.js';
import { readProbeFile } from './read-probe-file.js';
import { createFileProbe } from './watch-file.js';

export default defineProbe({
  type: 'file.hash',
  summary: 'passes while the file’s sha256 equals the expected digest',
  params: defineProbeParams('file.hash', {
    path: Type.String({ minLength: 1, description: 'File path (relative to the target home).' }),
    sha256: Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'Expected sha256, hex (`sha256sum <file>`).' }),
  }, 'A file has the expected content.'),
  create(params, { target, sources }) {
    const path = target.resolvePath(params.path);
    const expected = params.sha256.toLowerCase();
    const check = createStatCachedCheck(path, async () => {
      const read = await readProbeFile(path);
      if ('error' in read) return { ok: false, detail: `cannot read ${params.path}: ${read.error}` };
      const actual = hashBytes(read.bytes);
      return actual === expected ? { ok: true } : { ok: false, detail: `${params.path} sha256 ${actual.slice(0, 12)}…, expected ${expected.slice(0, 12)}…` };
    });
    return createFileProbe(sources, path, check);
  },
});
