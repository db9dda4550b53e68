// Content hashes used to prove a rollback restored a file byte for byte.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** sha256 of bytes, hex. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 of a file, hex; undefined when the file cannot be read. */
export async function hashFile(path: string): Promise<string | undefined> {
  try {
    return hashBytes(await readFile(path));
  } catch {
    return undefined;
  }
}
