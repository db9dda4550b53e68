import { describe, expect, it } from 'vitest';
import { compareActionPriority, getActionPriority } from '../../../src/fmea/index.js';

// An independently typed copy of the AIAG-VDA table in DESIGN §7, kept as the text of that table.
const DESIGN_TABLE = `
| 9–10 | H H H H | H H H H | H H H M | H M L L | L L L L |
| 7–8  | H H H H | H H H M | H M M M | M M L L | L L L L |
| 4–6  | H H M M | M M M L | M L L L | L L L L | L L L L |
| 2–3  | M M L L | L L L L | L L L L | L L L L | L L L L |
| 1    | L L L L | L L L L | L L L L | L L L L | L L L L |
`;
const O_COLUMNS = ['8–10', '6–7', '4–5', '2–3', '1'];
const D_LETTERS = ['7–10', '5–6', '2–4', '1'];

function inRange(range: string, value: number): boolean {
  const [low, high] = range.split('–').map(Number);
  return value >= low! && value <= (high ?? low)!;
}

function expectedPriority(s: number, o: number, d: number): string {
  const row = DESIGN_TABLE.trim().split('\n').map((line) => line.split('|').map((cell) => cell.trim()).filter(Boolean))
    .find((cells) => inRange(cells[0]!, s))!;
  const column = O_COLUMNS.findIndex((range) => inRange(range, o));
  const letter = D_LETTERS.findIndex((range) => inRange(range, d));
  return row[column + 1]!.split(' ')[letter]!;
}

describe('getActionPriority', () => {
  it('matches the DESIGN §7 table in all 1000 S/O/D combinations', () => {
    const mismatches: string[] = [];
    for (let s = 1; s <= 10; s++) {
      for (let o = 1; o <= 10; o++) {
        for (let d = 1; d <= 10; d++) {
          const expected = expectedPriority(s, o, d);
          const actual = getActionPriority(s, o, d);
          if (actual !== expected) mismatches.push(`S${s} O${o} D${d}: ${actual} ≠ ${expected}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('gives 318 H, 214 M and 468 L over all combinations', () => {
    const counts: Record<string, number> = { H: 0, M: 0, L: 0 };
    for (let s = 1; s <= 10; s++) for (let o = 1; o <= 10; o++) for (let d = 1; d <= 10; d++) counts[getActionPriority(s, o, d)]! += 1;
    expect(counts).toEqual({ H: 318, M: 214, L: 468 });
  });

  it('rates seed 000 SPOF-001 (S10 O3 D9) high and SPOF-003 (S7 O5 D6) medium', () => {
    expect(getActionPriority(10, 3, 9)).toBe('H');
    expect(getActionPriority(7, 5, 6)).toBe('M');
    expect(getActionPriority(2, 3, 4)).toBe('L');
  });

  it('refuses ratings outside 1–10 or not whole', () => {
    expect(() => getActionPriority(0, 5, 5)).toThrow(/1 to 10/);
    expect(() => getActionPriority(5, 11, 5)).toThrow(RangeError);
    expect(() => getActionPriority(5, 5, 2.5)).toThrow(RangeError);
  });

  it('orders H before M before L', () => {
    expect(['L', 'H', 'M'].sort((a, b) => compareActionPriority(a as 'H', b as 'H'))).toEqual(['H', 'M', 'L']);
  });
});
