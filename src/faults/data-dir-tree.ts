// A data directory's tree held in memory (backups of a DR drill), read and written fd-relative without
// following a link (util/safe-fs): the target's uid owns the tree and could swap a link in at any moment.
import { closeSync, constants, rmdirSync } from 'node:fs';
import { GuardError } from '../errors.js';
import {
  UnsafePathError, createExclusive, getChildPath, inspectEntry, listDirectory, makeDirectory, openChildDirectory, openFile, readAllBounded, setOwnerAndMode, unlinkEntry, writeAll,
} from '../util/safe-fs.js';

/** One entry of a copied tree: a directory or a regular file, with its mode and owner. */
export interface TreeEntry {
  path: string[];
  kind: 'directory' | 'file';
  mode: number;
  uid: number;
  gid: number;
  data?: Buffer;
}

/** Files and directories a copy never takes (a running server's lock file names a process that is gone in the copy). */
const SKIPPED = new Set(['postmaster.pid']);

/** Reads every entry under the open directory `dirFd` into memory; refuses links and special files, and more than `maxBytes`. */
export function readTree(dirFd: number, label: string, maxBytes: number): { entries: TreeEntry[]; bytes: number } {
  const entries: TreeEntry[] = [];
  let bytes = 0;
  const walk = (fd: number, path: string[]) => {
    for (const name of listDirectory(fd).sort()) {
      if (path.length === 0 && SKIPPED.has(name)) continue;
      const where = [...path, name];
      const { kind, stats } = inspectEntry(fd, name);
      if (kind === 'missing') continue; // removed by the server meanwhile (a temp file)
      if (kind !== 'file' && kind !== 'directory') throw new GuardError(`${label}/${where.join('/')} is a ${kind}: a DR drill copies only regular files and directories`);
      const meta = { path: where, kind, mode: Number(stats!.mode) & 0o7777, uid: Number(stats!.uid), gid: Number(stats!.gid) } as const;
      if (kind === 'directory') {
        const child = openChildDirectory(fd, name, `${label}/${where.join('/')}`);
        if (child === undefined) continue;
        try {
          entries.push({ ...meta });
          walk(child, where);
        } finally {
          closeSync(child);
        }
        continue;
      }
      const file = openFile(fd, name, constants.O_RDONLY, `${label}/${where.join('/')}`);
      if (file === undefined) continue;
      try {
        const data = readAllBounded(file, maxBytes - bytes, `${label}/${where.join('/')}`);
        bytes += data.length;
        entries.push({ ...meta, data });
      } finally {
        closeSync(file);
      }
    }
  };
  walk(dirFd, []);
  return { entries, bytes };
}

/** Removes the directory `name` in `dirFd` and everything in it, never following a link (a link is unlinked itself). */
export function removeTree(dirFd: number, name: string, label: string): void {
  const child = openChildDirectory(dirFd, name, label);
  if (child === undefined) return;
  try {
    for (const entry of listDirectory(child)) {
      if (inspectEntry(child, entry).kind === 'directory') removeTree(child, entry, `${label}/${entry}`);
      else unlinkEntry(child, entry);
    }
  } finally {
    closeSync(child);
  }
  rmdirSync(getChildPath(dirFd, name));
}

/** Creates the directory `name` in `dirFd` holding `entries` (names created exclusively, owners and modes as recorded). */
export function writeTree(dirFd: number, name: string, root: { mode: number; uid: number; gid: number }, entries: readonly TreeEntry[]): void {
  makeDirectory(dirFd, name, 0o700);
  const top = openChildDirectory(dirFd, name, name);
  if (top === undefined) throw new UnsafePathError(`${name} vanished as it was created`);
  // Open directories by their path in the tree: entries come parents first (readTree's order).
  const open = new Map<string, number>([['', top]]);
  try {
    for (const entry of entries) {
      const parent = open.get(entry.path.slice(0, -1).join('/'));
      const leaf = entry.path.at(-1)!;
      if (parent === undefined) throw new UnsafePathError(`no parent directory for ${entry.path.join('/')}`);
      if (entry.kind === 'directory') {
        makeDirectory(parent, leaf, 0o700);
        const fd = openChildDirectory(parent, leaf, entry.path.join('/'));
        if (fd === undefined) throw new UnsafePathError(`${entry.path.join('/')} vanished as it was created`);
        setOwnerAndMode(fd, entry.mode, entry);
        open.set(entry.path.join('/'), fd);
        continue;
      }
      const fd = createExclusive(parent, leaf, 0o600);
      if (fd === undefined) throw new UnsafePathError(`${entry.path.join('/')} appeared while faultline restored it`);
      try {
        writeAll(fd, entry.data ?? Buffer.alloc(0), 0);
        setOwnerAndMode(fd, entry.mode, entry);
      } finally {
        closeSync(fd);
      }
    }
    setOwnerAndMode(top, root.mode, root);
  } finally {
    for (const fd of open.values()) closeSync(fd);
  }
}
