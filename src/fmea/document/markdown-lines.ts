// Line-level view of a Markdown document: which lines are code, tables or headings.

/** A heading: its level (number of #), text and 1-based line. */
export interface Heading {
  level: number;
  text: string;
  line: number;
}

/** The lines of a document with code fences marked, so prose parsers can skip code. */
export interface MarkdownLines {
  /** Text of line n at index n - 1. */
  text: string[];
  /** True for lines inside (or delimiting) a fenced code block. */
  inCode: boolean[];
  headings: Heading[];
}

/** Splits Markdown into lines and finds code fences and headings. */
export function readMarkdownLines(source: string): MarkdownLines {
  const text = source.split(/\r?\n/);
  const inCode: boolean[] = [];
  const headings: Heading[] = [];
  let fence: string | undefined;
  text.forEach((line, index) => {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence !== undefined) {
      inCode.push(true);
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return;
    }
    if (marker) {
      fence = marker;
      inCode.push(true);
      return;
    }
    inCode.push(false);
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) headings.push({ level: heading[1]!.length, text: heading[2]!, line: index + 1 });
  });
  return { text, inCode, headings };
}

/** The last heading at or before a line (undefined before the first heading). */
export function getHeadingAt(lines: MarkdownLines, line: number): Heading | undefined {
  let found: Heading | undefined;
  for (const heading of lines.headings) {
    if (heading.line > line) break;
    found = heading;
  }
  return found;
}

/** Removes bold/italic/code marks so prose patterns see plain words. */
export function stripEmphasis(line: string): string {
  return line.replace(/\*\*|__|`/g, '');
}
