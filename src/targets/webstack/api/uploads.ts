// File uploads on local disk. With guardrails they go to the instance's persistent uploads/ and are
// fsync'd before the answer; without, to a temp dir the API wipes when it starts (files lost on restart).
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { HttpError } from './http-io.js';

const ID = /^[0-9a-f-]{36}$/;

/** The upload store. */
export class Uploads {
  constructor(private readonly dir: string, private readonly durable: boolean) {}

  /** Creates the directory; without guardrails, empties it first (the restart that loses files). */
  prepare(): void {
    mkdirSync(this.dir, { recursive: true });
    if (!this.durable) for (const name of readdirSync(this.dir)) rmSync(join(this.dir, name), { recursive: true, force: true });
  }

  /** Stores a file; returns its id. */
  save(data: Buffer): string {
    const id = randomUUID();
    const fd = openSync(join(this.dir, id), 'wx', 0o600);
    try {
      writeSync(fd, data);
      if (this.durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return id;
  }

  /** The file of `id`; 404 when there is none. */
  read(id: string): Buffer {
    if (!ID.test(id)) throw new HttpError(400, 'not an upload id');
    try {
      return readFileSync(join(this.dir, id));
    } catch {
      throw new HttpError(404, `no upload ${id}`);
    }
  }
}
