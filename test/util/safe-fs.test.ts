// util/safe-fs: what each operation refuses (links, directories, replaced directories) and what it never follows.
import { closeSync, constants, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  UnsafePathError, createExclusive, getFdIdentity, openDirectory, openFile, removeTempFiles, renameTempOver, unlinkEntry, withDirectory,
} from '../../src/util/safe-fs.js';

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'faultline-safe-fs-'));
  mkdirSync(join(base, 'dir'));
  writeFileSync(join(base, 'dir', 'file'), 'mine\n');
  writeFileSync(join(base, 'outside'), 'decoy\n');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('safe-fs', () => {
  test('openDirectory refuses a symlink anywhere in the path, and a directory that is not the recorded one', () => {
    symlinkSync(join(base, 'dir'), join(base, 'link'));
    expect(() => openDirectory(join(base, 'link'))).toThrow(/link was replaced by a symlink during the fault; refusing to follow it/);
    const recorded = withDirectory(join(base, 'dir'), undefined, getFdIdentity);
    renameSync(join(base, 'dir'), join(base, 'moved'));
    mkdirSync(join(base, 'dir'));
    expect(() => openDirectory(join(base, 'dir'), recorded)).toThrow(UnsafePathError);
    expect(() => openDirectory(join(base, 'dir'), recorded)).toThrow(/was replaced during the fault/);
  });

  test('openFile refuses a symlink, a hard link and a directory, and a file that is not the recorded inode', () => {
    withDirectory(join(base, 'dir'), undefined, (dirFd) => {
      const recorded = (() => {
        const fd = openFile(dirFd, 'file', constants.O_RDONLY, 'file')!;
        const id = getFdIdentity(fd);
        closeSync(fd);
        return id;
      })();
      symlinkSync(join(base, 'outside'), join(base, 'dir', 'sym'));
      linkSync(join(base, 'outside'), join(base, 'dir', 'hard'));
      mkdirSync(join(base, 'dir', 'sub'));
      writeFileSync(join(base, 'dir', 'other'), 'x');
      expect(() => openFile(dirFd, 'sym', constants.O_RDWR, 'sym')).toThrow(/sym was replaced by a symlink/);
      expect(() => openFile(dirFd, 'hard', constants.O_RDWR, 'hard')).toThrow(/hard has 2 hard links/);
      expect(() => openFile(dirFd, 'sub', constants.O_RDONLY, 'sub')).toThrow(/sub was replaced by a directory/);
      expect(() => openFile(dirFd, 'other', constants.O_RDWR, 'other', recorded)).toThrow(/no longer the file faultline changed/);
      expect(openFile(dirFd, 'missing', constants.O_RDONLY, 'missing')).toBeUndefined();
    });
    expect(readFileSync(join(base, 'outside'), 'utf8')).toBe('decoy\n');
  });

  test('createExclusive never opens through a (dangling) link; rename and unlink act on the name, not what it points to', () => {
    symlinkSync(join(base, 'outside'), join(base, 'dir', 'planted'));
    symlinkSync(join(base, 'nowhere'), join(base, 'dir', 'dangling'));
    withDirectory(join(base, 'dir'), undefined, (dirFd) => {
      expect(createExclusive(dirFd, 'planted')).toBeUndefined();
      expect(createExclusive(dirFd, 'dangling')).toBeUndefined();
      const fd = createExclusive(dirFd, '.new')!;
      closeSync(fd);
      renameTempOver(dirFd, '.new', 'planted');
      expect(unlinkEntry(dirFd, 'dangling')).toBe(true);
    });
    expect(readFileSync(join(base, 'outside'), 'utf8')).toBe('decoy\n');
    expect(readFileSync(join(base, 'dir', 'planted'), 'utf8')).toBe('');
  });

  test('removeTempFiles removes files and links under the prefix only, never a directory or another name', () => {
    const prefix = '.file.faultline-0123456789ab-';
    writeFileSync(join(base, 'dir', `${prefix}aa.tmp`), '');
    symlinkSync(join(base, 'outside'), join(base, 'dir', `${prefix}bb.tmp`));
    mkdirSync(join(base, 'dir', `${prefix}cc.tmp`));
    expect(withDirectory(join(base, 'dir'), undefined, (dirFd) => removeTempFiles(dirFd, prefix)).sort()).toEqual([`${prefix}aa.tmp`, `${prefix}bb.tmp`]);
    expect(readdirSync(join(base, 'dir')).sort()).toEqual([`${prefix}cc.tmp`, 'file']);
    expect(readFileSync(join(base, 'outside'), 'utf8')).toBe('decoy\n');
  });
});
