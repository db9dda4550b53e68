// How file probes read a file (as root, in a directory the target owns): bounded, regular files only,
// never blocking. A config linked to /dev/zero must not exhaust memory, a FIFO must not hang the probe.
import { readRegularFileBounded } from '../util/files.js';

/** The largest file a probe reads (configs and binaries it hashes are far smaller). */
export const MAX_PROBE_BYTES = 16 * 1024 * 1024;

/** The file's bytes, or why it was not read ("ENOENT", "not a regular file", "… bytes, more than …"). */
export async function readProbeFile(path: string, maxBytes = MAX_PROBE_BYTES): Promise<{ bytes: Buffer } | { error: string }> {
  const read = await readRegularFileBounded(path, maxBytes);
  if ('bytes' in read) return read;
  if (read.reason === 'cannot-open') return { error: read.code };
  if (read.reason === 'not-regular') return { error: 'not a regular file' };
  return { error: `more than the ${maxBytes} bytes a probe reads` };
}
