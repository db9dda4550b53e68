// The corruption modes of config.corrupt, as pure functions from original bytes to corrupted bytes.
import { createRandom } from '../util/random.js';

export const corruptModes = ['truncate', 'random-bytes', 'syntax', 'delete-key', 'empty'] as const;
export type CorruptMode = (typeof corruptModes)[number];

export interface CorruptOptions {
  mode: CorruptMode;
  seed: number;
  /** random-bytes: how many bytes to overwrite. */
  bytes: number;
  /** delete-key: the key to remove (default: the first key=value line). */
  key?: string;
}

/** Returns corrupted bytes; always different from the original (unless the original is empty and mode is empty). */
export function corruptBytes(original: Buffer, options: CorruptOptions): Buffer {
  switch (options.mode) {
    case 'empty':
      return Buffer.alloc(0);
    case 'truncate':
      return original.subarray(0, Math.floor(original.length / 2));
    case 'random-bytes': {
      // Distinct positions, each changed to another value: the result always differs from the original.
      const random = createRandom(options.seed);
      const copy = Buffer.from(original.length > 0 ? original : Buffer.from('\n'));
      const positions = new Set<number>();
      while (positions.size < Math.min(options.bytes, copy.length)) {
        const at = Math.floor(random() * copy.length);
        if (positions.has(at)) continue;
        positions.add(at);
        copy[at] = (copy[at]! + 1 + Math.floor(random() * 255)) % 256;
      }
      return copy;
    }
    case 'syntax':
      // An unterminated quote and a dangling `if`: `bash -n` rejects it, as do most config parsers.
      return Buffer.concat([original, Buffer.from('\nBROKEN="unterminated\nif then\n')]);
    case 'delete-key': {
      const lines = original.toString('utf8').split('\n');
      const isKey = (line: string) => (options.key ? new RegExp(`^\\s*(export\\s+)?${escapeRegExp(options.key)}\\s*=`).test(line) : /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line));
      const index = lines.findIndex(isKey);
      if (index === -1) throw new Error(options.key ? `key ${options.key} not found` : 'no key=value line to delete');
      lines.splice(index, 1);
      return Buffer.from(lines.join('\n'));
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
