// Fault: malformed messages to one of the target's services, each on a fresh connection (seed 003's
// malformed messages and malicious JSON: "deserialization crash"): random bytes (seeded), a broken
// HTTP request line, an HTTP/2 preface with an invalid frame, truncated and mistyped JSON, deeply
// nested JSON and an oversized header. Bounded in count, concurrency and time.
import { Type } from '@sinclair/typebox';
import { createRandom } from '../util/random.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { createLoadState, describeEndpoint, resolveLoadEndpoint, rollbackLoad, serviceLoadProperties, startLoad, verifyLoad } from './service-load.js';

/** Most messages one fault sends. */
export const MAX_MESSAGES = 100_000;

const post = (path: string, body: string) => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** The kinds of malformed message, in the order they are cycled. */
export const MALFORMED_KINDS: ReadonlyArray<{ name: string; build(random: () => number): Buffer }> = [
  { name: 'random bytes', build: (random) => Buffer.from(Array.from({ length: 256 + Math.floor(random() * 3840) }, () => Math.floor(random() * 256))) },
  { name: 'broken request line', build: () => Buffer.from('G\u0000ET /v3/kv/put HTTP/9.9\r\n\u0001\u0002: \r\n\r\n', 'latin1') },
  // The HTTP/2 preface (etcd's gRPC listener accepts it), then a frame claiming 16 MiB of an unknown type.
  { name: 'HTTP/2 preface with an invalid frame', build: () => Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0xff, 0xff, 0xff, 0xee, 0x00, 0x7f, 0xff, 0xff, 0xff]), Buffer.alloc(64, 0xaa)]) },
  { name: 'truncated JSON', build: () => Buffer.from(post('/v3/kv/put', '{"key": "Zm9v", "value": ')) },
  { name: 'mistyped JSON', build: () => Buffer.from(post('/v3/kv/put', '{"key": 12345, "value": [true, {"x": null}], "lease": "not a number"}')) },
  { name: 'deeply nested JSON', build: () => Buffer.from(post('/v3/kv/range', `${'['.repeat(10_000)}${']'.repeat(10_000)}`)) },
  { name: 'oversized header', build: () => Buffer.from(`POST /v3/kv/range HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(1 << 20)}\r\n\r\n`) },
];

export default defineFault({
  type: 'service.malformed',
  summary: 'sends malformed messages (random bytes, broken HTTP and HTTP/2, bad JSON, oversized headers) to a service, each on a new connection',
  needs: ['services'],
  params: defineFaultParams('service.malformed', {
    ...serviceLoadProperties,
    messages: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_MESSAGES, default: 2000, description: `Messages in all (at most ${MAX_MESSAGES}).` })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, default: 8, description: 'Connections at once.' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, default: 3, description: 'Seed of the random bytes.' })),
  }, 'Send malformed messages.'),
  async plan(params, { target }) {
    const endpoint = resolveLoadEndpoint(target, params.service);
    return {
      touches: [`send ${params.messages ?? 2000} malformed messages (${MALFORMED_KINDS.map((kind) => kind.name).join(', ')}) to ${describeEndpoint(endpoint)}, ${params.concurrency ?? 8} at a time, within ${params.durationMs ?? 10_000} ms`],
      guards: ['only the target’s own service, on loopback or in a namespace the target owns', `at most ${MAX_MESSAGES} messages; stopped at the deadline, at rollback, or with faultline`],
    };
  },
  async prepare(params, { target }) {
    return createLoadState(resolveLoadEndpoint(target, params.service), params.durationMs ?? 10_000, { messages: params.messages ?? 2000, concurrency: params.concurrency ?? 8, seed: params.seed ?? 3 });
  },
  async inject(params, { target, stateDir }, state) {
    const endpoint = resolveLoadEndpoint(target, params.service);
    const random = createRandom(Number(state.seed));
    startLoad(stateDir, Number(state.durationMs), async (run) => {
      let next = 0;
      const sender = async () => {
        while (!run.stopped && next < Number(state.messages)) {
          const kind = MALFORMED_KINDS[next++ % MALFORMED_KINDS.length]!;
          const socket = await run.open(endpoint);
          if (!socket) continue;
          socket.on('data', () => undefined);
          await new Promise<void>((resolve) => {
            socket.once('close', () => resolve());
            socket.write(kind.build(random), () => {
              run.counts.messages += 1;
              // The answer (an error, a close) does not matter: give the server a moment, then move on.
              setTimeout(() => socket.destroy(), 200).unref();
            });
          });
        }
      };
      await Promise.all(Array.from({ length: Number(state.concurrency) }, sender));
    });
  },
  verify: async (_params, { stateDir }) => verifyLoad(stateDir),
  rollback: async (_params, { stateDir }, state) => rollbackLoad(stateDir, state),
});
