// How file probes read a file (as root, in a directory the target owns): bounded, regular files only,
// never blocking. A config linked to /dev/zero must not exhaust memory, a FIFO must not hang the probe.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The largest file a probe reads (configs and binaries it hashes are far smaller). */
export const MAX_PROBE_BYTES = 16 * 1024 * 1024;

/** The file's bytes, or why it was not read ("ENOENT", "not a regular file", "… bytes, more than …"). */
export async function readProbeFile(path: string, maxBytes = MAX_PROBE_BYTES): Promise<{ bytes: Buffer } | { error: string }> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO returns at once (and is refused below) instead of waiting for a writer.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { error: 'not a regular file' };
    const tooLarge = { error: `more than the ${maxBytes} bytes a probe reads` };
    if (stats.size > maxBytes) return tooLarge;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return tooLarge; // It grew while read.
    }
    return { bytes: Buffer.concat(chunks) };
  } finally {
    await handle.close();
  }
}
