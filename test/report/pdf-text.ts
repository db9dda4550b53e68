// A small reader of the PDFs Chromium (Skia) writes, for tests: its pages, and the text on them, decoded
// through each font's ToUnicode map (Skia writes glyph ids, Identity-H, two bytes each). Enough for
// Chromium's output, not a general PDF parser.
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

/** The objects of a PDF by number. */
function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text))) {
    const start = match.index + match[0].length;
    const streamAt = text.indexOf('stream', start);
    const endAt = text.indexOf('endobj', start);
    if (streamAt !== -1 && streamAt < endAt) {
      const dict = text.slice(start, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      const dataStart = streamAt + 'stream'.length + (text[streamAt + 6] === '\r' ? 2 : 1);
      const raw = pdf.subarray(dataStart, dataStart + length);
      objects.set(Number(match[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
      header.lastIndex = dataStart + length;
    } else {
      objects.set(Number(match[1]), { dict: text.slice(start, endAt) });
      header.lastIndex = endAt;
    }
  }
  return objects;
}

/** Glyph id → text, from a ToUnicode CMap (bfchar and bfrange). */
function readToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexText = (hex: string) => String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((unit) => parseInt(unit, 16)));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(pair[1]!, 16), hexText(pair[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const [low, high, first] = [parseInt(range[1]!, 16), parseInt(range[2]!, 16), parseInt(range[3]!, 16)];
      for (let code = low; code <= high; code += 1) map.set(code, String.fromCodePoint(first + code - low));
    }
  }
  return map;
}

/** The pages of a PDF (its /Type /Page objects), each with its text in drawing order. */
export function readPdfPages(pdf: Buffer): string[] {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF');
  const objects = readObjects(pdf);
  const resolveDict = (value: string, key: string): string => {
    const ref = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(value);
    if (ref) return objects.get(Number(ref[1]))?.dict ?? '';
    const inline = new RegExp(`/${key}\\s*<<`).exec(value);
    if (!inline) return '';
    // The balanced << … >> after the key.
    let depth = 0;
    for (let index = inline.index + inline[0].length - 2; index < value.length; index += 1) {
      if (value.startsWith('<<', index)) { depth += 1; index += 1; }
      else if (value.startsWith('>>', index)) { depth -= 1; index += 1; if (depth === 0) return value.slice(inline.index, index + 1); }
    }
    return '';
  };
  const pages = [...objects.values()].filter((object) => /\/Type\s*\/Page\b(?!s)/.test(object.dict));
  return pages.map((page) => {
    const fonts = new Map<string, Map<number, string>>();
    const fontDict = resolveDict(resolveDict(page.dict, 'Resources') || page.dict, 'Font');
    for (const entry of fontDict.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
      const font = objects.get(Number(entry[2]))?.dict ?? '';
      const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(font);
      fonts.set(entry[1]!, toUnicode ? readToUnicode(objects.get(Number(toUnicode[1]))?.stream?.toString('latin1') ?? '') : new Map());
    }
    const contents = /\/Contents\s+(?:\[([^\]]*)\]|(\d+) 0 R)/.exec(page.dict);
    const refs = contents ? (contents[1] ? [...contents[1].matchAll(/(\d+) 0 R/g)].map((ref) => Number(ref[1])) : [Number(contents[2])]) : [];
    const program = refs.map((ref) => objects.get(ref)?.stream?.toString('latin1') ?? '').join('\n');
    let font = new Map<number, string>();
    let text = '';
    const show = (hex: string) => {
      for (const unit of hex.match(/.{4}/g) ?? []) text += font.get(parseInt(unit, 16)) ?? '';
    };
    for (const token of program.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj|\[((?:[^\]]|\n)*?)\]\s*TJ|\b(Td|TD|T\*|Tm|ET)\b/g)) {
      if (token[1]) font = fonts.get(token[1]) ?? new Map();
      else if (token[2] !== undefined) show(token[2]);
      else if (token[3] !== undefined) {
        for (const part of token[3].matchAll(/<([0-9a-fA-F]*)>|(-?[\d.]+)/g)) {
          if (part[1] !== undefined) show(part[1]);
          else if (Number(part[2]) < -200) text += ' ';
        }
      } else if (token[4] === 'ET') text += '\n';
    }
    return text.replace(/[ \t]+/g, ' ');
  });
}
