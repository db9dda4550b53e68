// Tells a Go program from others by its ELF sections (.go.buildinfo, .gopclntab, .note.go.buildid):
// Go reads the clock through the vDSO and its own syscalls, never libc, so LD_PRELOAD tools such as
// libfaketime do not reach it — faults that rely on them refuse such a binary.
import { closeSync, openSync, readSync } from 'node:fs';

const GO_SECTIONS = new Set(['.go.buildinfo', '.gopclntab', '.note.go.buildid']);

/** True when `path` is a 64-bit little-endian ELF file with a Go section; false otherwise (or unreadable). */
export function isGoBinary(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const read = (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const got = readSync(fd, buffer, 0, length, position);
      return buffer.subarray(0, got);
    };
    const header = read(0, 64);
    if (header.length < 64 || header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return false;
    const sectionsAt = Number(header.readBigUInt64LE(0x28));
    const entrySize = header.readUInt16LE(0x3a);
    const count = header.readUInt16LE(0x3c);
    const namesIndex = header.readUInt16LE(0x3e);
    if (count === 0 || count > 4096 || entrySize < 64 || namesIndex >= count) return false;
    const table = read(sectionsAt, count * entrySize);
    const names = table.subarray(namesIndex * entrySize, namesIndex * entrySize + entrySize);
    const strtab = read(Number(names.readBigUInt64LE(0x18)), Math.min(Number(names.readBigUInt64LE(0x20)), 1 << 20));
    for (let index = 0; index < count; index++) {
      const offset = table.readUInt32LE(index * entrySize);
      const end = strtab.indexOf(0, offset);
      if (GO_SECTIONS.has(strtab.toString('latin1', offset, end < 0 ? undefined : end))) return true;
    }
    return false;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Why no clock-skew mechanism reaches a Go program: one text for validate, plans and docs. */
export const GO_CLOCK_REFUSAL =
  'Go reads the clock through the vDSO and its own syscalls, never through libc, so libfaketime (LD_PRELOAD) does not reach it; a time namespace shifts only the monotonic and boot clocks, not the wall clock; and changing the host clock would skew every process on the host. faultline refuses rather than pretend';
