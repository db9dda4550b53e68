// Probe: etcd members say they are healthy (GET /health: a leader and a quorum read), every member or one.
import { Type } from '@sinclair/typebox';
import { getHealth } from '../targets/etcd/client.js';
import { listEtcdEndpoints } from '../targets/etcd/endpoints.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';

export default defineProbe({
  type: 'etcd.health',
  summary: 'passes while every etcd member (or the named one) answers /health with health true',
  needs: ['services'],
  params: defineProbeParams('etcd.health', {
    member: Type.Optional(Type.String({ minLength: 1, description: 'Only this member (default: every member).' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 10_000, default: 500, description: 'How long a member may take to answer.' })),
  }, 'etcd members are healthy.'),
  defaultIntervalMs: 100,
  create(params, { target }) {
    const members = listEtcdEndpoints(target, params.member);
    return {
      async check() {
        const answers = await Promise.all(members.map((member) => getHealth(member.url, params.timeoutMs ?? 500)));
        const sick = answers.map((answer, index) => ({ answer, name: members[index]!.name })).filter(({ answer }) => !answer.healthy);
        return sick.length === 0 ? { ok: true } : { ok: false, detail: sick.map(({ name, answer }) => `${name}: ${answer.detail}`).join('; ') };
      },
    };
  },
});
