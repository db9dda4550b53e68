// Canary: objects stored through an HTTP API (an upload per item: POST the token as the body, the answer
// names its id), read back one by one afterwards (GET path/{id}): an acknowledged object the API no longer
// returns (404, or other bytes) is lost — the failure matrix's "file uploads lost on restart".
import { Type } from '@sinclair/typebox';
import { findService } from '../targets/services/find-service.js';
import { sendHttp } from '../targets/services/http-client.js';
import { defineCanary } from './types.js';
import { defineCanaryParams } from './params.js';
import { readBackWithRetry, readJsonField } from './read-back.js';

const PATH = '^/[\\x21-\\x7e]*$';

export default defineCanary({
  type: 'http.objects',
  needs: ['services'],
  summary: 'POSTs each item as an object, then GETs every acknowledged one back by its id; those not returned are lost',
  params: defineCanaryParams('http.objects', {
    api: Type.Optional(Type.String({ minLength: 1, description: 'The http service (target.services[].name); default: the target’s only one.' })),
    path: Type.Optional(Type.String({ pattern: PATH, default: '/api/uploads', description: 'POST the item here; GET it back from path/{id}.' })),
    idField: Type.Optional(Type.String({ minLength: 1, default: 'id', description: 'Field of the POST’s JSON answer holding the object’s id.' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 60_000, default: 3000, description: 'A request with no answer within this long fails.' })),
  }, 'Objects stored through an API are not lost.'),
  create(params, { target }) {
    const api = findService(target, 'http', params.api, 'canary.api');
    const path = params.path ?? '/api/uploads';
    const timeoutMs = params.timeoutMs ?? 3000;
    // The id the API gave each acknowledged token.
    const ids = new Map<string, string>();
    return {
      async send(token) {
        const answer = await sendHttp(api, { method: 'POST', path, body: token, headers: { 'content-type': 'application/octet-stream' }, timeoutMs });
        if ('error' in answer) return { accepted: false, detail: answer.error };
        if (answer.status < 200 || answer.status >= 300) return { accepted: false, detail: `status ${answer.status}` };
        const id = readJsonField(answer.body, params.idField ?? 'id');
        if (typeof id !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(id)) return { accepted: false, detail: `no ${params.idField ?? 'id'} in the answer` };
        ids.set(token, id);
        return { accepted: true };
      },
      async collect() {
        const kept: string[] = [];
        for (const [token, id] of ids) {
          const answer = await readBackWithRetry(async () => {
            const got = await sendHttp(api, { method: 'GET', path: `${path}/${encodeURIComponent(id)}`, timeoutMs });
            // The API is not answering yet: not proof that the object is gone.
            if ('error' in got || got.status >= 500) throw new Error(`GET ${path}/${id}: ${'error' in got ? got.error : `status ${got.status}`}`);
            return got;
          });
          if (answer.status === 200 && answer.body === token) kept.push(token);
        }
        return kept.join('\n');
      },
    };
  },
});
