// Probe: a pattern appears in a log (lines appended after the probe started); event-driven through
// fs.watch. With withinMs it is a heartbeat in a log; with invert it watches for errors.
import { Type } from '@sinclair/typebox';
import { LogTail } from '../measure/sources/log-tail.js';
import { monotonicMs } from '../util/clock.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { createFileProbe } from './watch-file.js';

export default defineProbe({
  type: 'log.match',
  summary: 'passes once a line matching the pattern is appended to the log (within withinMs; invert: while none is)',
  params: defineProbeParams('log.match', {
    path: Type.String({ minLength: 1, description: 'Log file (relative to the target home); rotation and truncation are followed.' }),
    matches: Type.String({ description: 'Regular expression a line must match.' }),
    withinMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400_000, description: 'Only a match seen at most this long ago counts (a heartbeat line).' })),
    invert: Type.Optional(Type.Boolean({ default: false, description: 'Pass while no (recent) line matches, e.g. for an error pattern.' })),
    fromStart: Type.Optional(Type.Boolean({ default: false, description: 'Also read the lines already in the log when the probe starts.' })),
  }, 'A pattern appears in a log.'),
  create(params, { target, sources }) {
    const path = target.resolvePath(params.path);
    const pattern = new RegExp(params.matches);
    const tail = new LogTail(path, { fromStart: params.fromStart ?? false });
    let lastMatchAt: number | undefined;
    return createFileProbe(sources, path, async () => {
      const now = monotonicMs();
      if (tail.readNewLines().some((line) => pattern.test(line))) lastMatchAt = now;
      const recent = lastMatchAt !== undefined && (params.withinMs === undefined || now - lastMatchAt <= params.withinMs);
      const recheckAt = recent && params.withinMs !== undefined ? lastMatchAt! + params.withinMs : undefined;
      const seen = recent ? 'a line matched' : lastMatchAt === undefined ? 'no line matched' : `the last match is ${Math.round(now - lastMatchAt)} ms old`;
      const ok = params.invert ? !recent : recent;
      return { ok, ...(ok ? {} : { detail: `${params.path}: ${seen} /${params.matches}/` }), ...(recheckAt !== undefined ? { recheckAt } : {}) };
    });
  },
});
