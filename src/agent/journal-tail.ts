// Follows a journal file as the run writes it, so the agent can pass each event to its controller
// while the run happens (the file itself stays on the host: the agent's own record).
import { closeSync, openSync, readSync } from 'node:fs';

/** Reads lines appended to a file since the last call; `drain` returns the complete ones. */
export class JournalTail {
  readonly #path: string;
  #offset = 0;
  #pending = '';

  constructor(path: string) {
    this.#path = path;
  }

  /** Complete lines appended since the last drain, parsed; a line that is not JSON is passed as a note. */
  drain(): Record<string, unknown>[] {
    let fd: number;
    try {
      fd = openSync(this.#path, 'r');
    } catch {
      return [];
    }
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const read = readSync(fd, buffer, 0, buffer.length, this.#offset);
        if (read <= 0) break;
        this.#offset += read;
        this.#pending += buffer.subarray(0, read).toString('utf8');
      }
    } finally {
      closeSync(fd);
    }
    const lines = this.#pending.split('\n');
    this.#pending = lines.pop() ?? '';
    return lines.filter((line) => line.trim() !== '').map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { type: 'note', message: `unreadable journal line: ${line.slice(0, 200)}` };
      }
    });
  }
}
