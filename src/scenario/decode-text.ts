// Turns the bytes of an input file into text, refusing what is not UTF-8 (or UTF-16 with a BOM)
// instead of silently replacing bad bytes with U+FFFD (a path with \xff would pass validate).
import type { SourcePoint } from './positions.js';

/** Decoded text, or why the bytes are not text and where. */
export type DecodedText = { ok: true; text: string } | { ok: false; reason: string; point: SourcePoint };

/** Decodes UTF-8 (BOM optional) or UTF-16 with a BOM; anything else is refused with its line and column. */
export function decodeInputText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, 'utf-16be');
  if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) {
    return { ok: false, reason: 'the file looks like UTF-16 (or UTF-32) without a byte-order mark; save it as UTF-8', point: { line: 1, column: 1 } };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = findInvalidUtf8(bytes);
    const byte = bytes[offset] ?? 0;
    return { ok: false, reason: `invalid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')}); save the file as UTF-8`, point: locateByte(bytes, offset) };
  }
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedText {
  try {
    // The decoder drops the BOM itself.
    return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: `invalid ${encoding.toUpperCase()} (an odd byte count or an unpaired surrogate); save the file as UTF-8`, point: { line: 1, column: 1 } };
  }
}

// The offset of the first byte that does not start or continue a well-formed UTF-8 sequence.
function findInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return index;
    if (length > 1) {
      const second = bytes[index + 1];
      // Overlongs (E0 80–9F, F0 80–8F), surrogates (ED A0–BF) and beyond U+10FFFF (F4 90–BF) are invalid.
      const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
      const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
      if (second === undefined || second < low || second > high) return index;
      for (let next = 2; next < length; next += 1) {
        const byte = bytes[index + next];
        if (byte === undefined || byte < 0x80 || byte > 0xbf) return index;
      }
    }
    index += length;
  }
  return bytes.length;
}

// Line and column (in characters) of a byte offset; the bytes before it are valid UTF-8.
function locateByte(bytes: Uint8Array, offset: number): SourcePoint {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index += 1) {
    if (bytes[index] === 0x0a) {
      line += 1;
      lineStart = index + 1;
    }
  }
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  return { line, column: before.length + 1 };
}
