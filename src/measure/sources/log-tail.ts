// Follows a log file: the complete lines appended since the last read, across rotation and truncation.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

const CHUNK = 256 * 1024;

/** Reads only what was appended; a replaced (rotated) or truncated file is read again from its start. */
export class LogTail {
  private offset: number;
  private ino: number | undefined;
  private partial = '';

  /** Starts at the current end of the file, or at its beginning with `fromStart`. */
  constructor(private readonly path: string, options: { fromStart?: boolean } = {}) {
    const stat = statQuietly(path);
    this.ino = stat?.ino;
    this.offset = options.fromStart || !stat ? 0 : stat.size;
  }

  /** The complete lines appended since the last call (a torn last line waits for its newline). */
  readNewLines(): string[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return [];
    }
    try {
      const stat = fstatSync(fd);
      if (stat.ino !== this.ino || stat.size < this.offset) {
        this.ino = stat.ino;
        this.offset = 0;
        this.partial = '';
      }
      let text = '';
      const buffer = Buffer.alloc(CHUNK);
      while (this.offset < stat.size) {
        const read = readSync(fd, buffer, 0, Math.min(CHUNK, stat.size - this.offset), this.offset);
        if (read <= 0) break;
        this.offset += read;
        text += buffer.toString('utf8', 0, read);
      }
      const lines = (this.partial + text).split('\n');
      this.partial = lines.pop() ?? '';
      return lines;
    } finally {
      closeSync(fd);
    }
  }
}

function statQuietly(path: string): { ino: number; size: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
