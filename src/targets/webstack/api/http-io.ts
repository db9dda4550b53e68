// Small HTTP helpers of the API: bounded bodies, JSON answers, errors with a status.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error that becomes an HTTP answer. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Reads the request body, at most `limit` bytes (413 beyond). */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `body larger than ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Reads a JSON object body (400 when it is not one). */
export async function readJson(request: IncomingMessage, limit = 1024 * 1024): Promise<Record<string, unknown>> {
  const body = await readBody(request, limit);
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Below.
  }
  throw new HttpError(400, 'expected a JSON object body');
}

/** Sends a JSON answer. */
export function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}
