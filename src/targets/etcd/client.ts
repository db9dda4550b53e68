// A small client of etcd's v3 HTTP gateway (/v3/kv/put, /v3/kv/range, /v3/maintenance/status,
// /health): probes, canaries and leader selection speak to members directly, bounded in time.
import { request } from 'node:http';

/** What a member says of itself and the cluster (maintenance/status). */
export interface MemberStatus {
  memberId: string;
  leader: string;
  raftTerm: string;
}

/** A failed call: why, for probe details. */
export class EtcdCallError extends Error {}

/** POSTs a JSON body to a member's gateway and parses the answer; rejects on timeout or a non-200 status. */
export function callGateway(url: string, path: string, body: unknown, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const req = request(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length }, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 4 * 1024 * 1024) req.destroy(new EtcdCallError('answer larger than 4 MiB'));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new EtcdCallError(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        try {
          resolve(JSON.parse(text) as Record<string, unknown>);
        } catch {
          reject(new EtcdCallError(`not JSON: ${text.slice(0, 200)}`));
        }
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new EtcdCallError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new EtcdCallError(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => reject(error instanceof EtcdCallError ? error : new EtcdCallError(error.code ?? error.message)));
    req.on('close', () => clearTimeout(timer));
    req.end(payload);
  });
}

const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const decode = (text: unknown) => Buffer.from(String(text ?? ''), 'base64').toString('utf8');

/** Writes key=value through one member; resolves once etcd acknowledged it (committed by a quorum). */
export async function putKey(url: string, key: string, value: string, timeoutMs: number): Promise<void> {
  await callGateway(url, '/v3/kv/put', { key: encode(key), value: encode(value) }, timeoutMs);
}

/** Reads one key (linearizable: served only with a quorum); undefined when absent. */
export async function getKey(url: string, key: string, timeoutMs: number): Promise<string | undefined> {
  const answer = await callGateway(url, '/v3/kv/range', { key: encode(key) }, timeoutMs);
  const kvs = Array.isArray(answer.kvs) ? (answer.kvs as Array<Record<string, unknown>>) : [];
  return kvs.length === 0 ? undefined : decode(kvs[0]!.value);
}

/** Every key=value under a prefix (linearizable), at most `limit`. */
export async function listPrefix(url: string, prefix: string, timeoutMs: number, limit = 100_000): Promise<Array<{ key: string; value: string }>> {
  const end = Buffer.from(prefix, 'utf8');
  end[end.length - 1] = end[end.length - 1]! + 1;
  const answer = await callGateway(url, '/v3/kv/range', { key: encode(prefix), range_end: end.toString('base64'), limit }, timeoutMs);
  const kvs = Array.isArray(answer.kvs) ? (answer.kvs as Array<Record<string, unknown>>) : [];
  return kvs.map((kv) => ({ key: decode(kv.key), value: decode(kv.value) }));
}

/** A member's own view: its id, the leader it follows (0 = none) and its term. */
export async function getMemberStatus(url: string, timeoutMs: number): Promise<MemberStatus> {
  const answer = await callGateway(url, '/v3/maintenance/status', {}, timeoutMs);
  const header = (answer.header ?? {}) as Record<string, unknown>;
  return { memberId: String(header.member_id ?? ''), leader: String(answer.leader ?? '0'), raftTerm: String(answer.raftTerm ?? header.raft_term ?? '0') };
}

/** GET /health: true when the member says it is healthy (it has a leader and answers a quorum read). */
export function getHealth(url: string, timeoutMs: number): Promise<{ healthy: boolean; detail: string }> {
  return new Promise((resolve) => {
    const req = request(`${url}/health`, { method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < 4096) text += chunk;
      });
      res.on('end', () => {
        try {
          const parsed = JSON.parse(text) as { health?: unknown; reason?: unknown };
          resolve({ healthy: parsed.health === 'true' || parsed.health === true, detail: `health ${String(parsed.health)}${parsed.reason ? ` (${String(parsed.reason)})` : ''}` });
        } catch {
          resolve({ healthy: false, detail: `HTTP ${res.statusCode}: ${text.slice(0, 100)}` });
        }
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ healthy: false, detail: error.code ?? error.message }));
    req.on('close', () => clearTimeout(timer));
    req.end();
  });
}
