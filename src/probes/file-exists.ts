// Probe: a path exists (as a file, a directory, or either); event-driven through fs.watch on its folder.
import { Type } from '@sinclair/typebox';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { statQuietly } from './file-cache.js';
import { createFileProbe } from './watch-file.js';

export default defineProbe({
  type: 'file.exists',
  summary: 'passes while the path exists (optionally: is a file, or a directory)',
  params: defineProbeParams('file.exists', {
    path: Type.String({ minLength: 1, description: 'Path (relative to the target home).' }),
    kind: Type.Optional(Type.Union([Type.Literal('file'), Type.Literal('directory'), Type.Literal('any')], { default: 'any', description: 'What the path must be.' })),
  }, 'A file exists.'),
  create(params, { target, sources }) {
    const path = target.resolvePath(params.path);
    const kind = params.kind ?? 'any';
    return createFileProbe(sources, path, async () => {
      const stat = statQuietly(path);
      if (!stat) return { ok: false, detail: `${params.path} missing` };
      if (kind === 'file' && !stat.isFile()) return { ok: false, detail: `${params.path} is not a regular file` };
      if (kind === 'directory' && !stat.isDirectory()) return { ok: false, detail: `${params.path} is not a directory` };
      return { ok: true };
    });
  },
});
