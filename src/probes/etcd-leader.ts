// Probe: the etcd cluster has a leader that a majority of its members follow (a partitioned
// minority's own view never counts), asked of every member through the v3 gateway.
import { Type } from '@sinclair/typebox';
import { describeLeaderView, readLeaderView } from '../targets/etcd/leader.js';
import { listEtcdEndpoints } from '../targets/etcd/endpoints.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';

export default defineProbe({
  type: 'etcd.leader',
  summary: 'passes while a majority of the etcd members follow one leader (maintenance/status of each member)',
  needs: ['services'],
  params: defineProbeParams('etcd.leader', {
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 10_000, default: 300, description: 'How long each member may take to answer.' })),
  }, 'The etcd cluster has a leader.'),
  defaultIntervalMs: 50,
  create(params, { target }) {
    const members = listEtcdEndpoints(target);
    // Kept across checks: a leader that is cut off can still be named by the id its followers report.
    const ids: Record<string, string> = {};
    return {
      async check() {
        const view = await readLeaderView(members, ids, params.timeoutMs ?? 300);
        return { ok: view.leader !== undefined, detail: describeLeaderView(view) };
      },
    };
  },
});
