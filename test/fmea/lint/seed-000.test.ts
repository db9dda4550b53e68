// Seed 000 (the Tmux-Orchestrator FMEA) linted as it is, prose and all. Every finding pinned here was
// checked by hand against the document; the lines are the document's own.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintDocument } from '../../../src/fmea/index.js';

const seeds = fileURLToPath(new URL('../../../../shared/seeds/', import.meta.url));
const seed000 = `${seeds}000_3fd77f1e0f255ec2.txt`;
const hasSeeds = existsSync(seed000);
if (!hasSeeds) console.warn(`skipping seed lint tests: ${seed000} is not here (the seeds live in ../shared next to the repository)`);

describe.skipIf(!hasSeeds)('fmea lint on seed 000', () => {
  const result = hasSeeds ? lintDocument(seed000) : undefined;
  const find = (rule: string, line: number) => result!.findings.find((finding) => finding.rule === rule && finding.lines[0] === line);

  it('reads the §11.1 table (20 rows) and the 21 rated sections of §3 and §5–7', () => {
    expect(result!.rows).toBe(20);
    expect(result!.sections).toBe(21);
  });

  it('reports exactly the inconsistencies verified by hand', () => {
    expect(result!.findings.map((finding) => `${finding.lines.join(',')} ${finding.severity} ${finding.rule} ${finding.ids.join(',')}`)).toEqual([
      // Executive summary counts vs the ids the document rates (24: SPOF-001…009, CASCADE-001…003, CORRUPTION/EXHAUSTION/SECURITY-001…004).
      '5 error count ', // "43 critical failure modes"
      '5 warning count ', // "8 major categories" vs 5 id families
      '10 error count ', // "15 single points of failure" vs SPOF-001…009
      '11 error count ', // "8 primary cascade failure pathways" vs CASCADE-001…003
      '12 error count ', // "12 critical data corruption scenarios" vs CORRUPTION-001…004
      '13 error count ', // "6 resource exhaustion patterns" vs EXHAUSTION-001…004
      '14 error count ', // "11 security failure modes" vs SECURITY-001…004
      // "Medium (4/10)" where the §1.2 Occurrence scale calls 3–4 "Low probability".
      '742,61 error scale-label SECURITY-002',
      '798,61 error scale-label SECURITY-004',
      // §11.1 Risk Level vs the two band definitions of §14.1 and §14.3 (error = contradicts both).
      '1608,2328 warning risk-level SPOF-001',
      '1609,2329 warning risk-level SPOF-002',
      '1610,1631 error priority-level SPOF-003', // P1 is "Critical", the row says HIGH
      '1610,2245,2246 warning risk-level SPOF-003',
      '1611,2328 warning risk-level SPOF-004',
      '1612,2245,2246,2327 error risk-level SPOF-005', // HIGH at RPN 336
      '1615,2245,2246,2327 error risk-level CASCADE-003', // HIGH at RPN 336
      '1617,2245,2246,2328 error risk-level CORRUPTION-002', // MEDIUM at RPN 216
      '1618,2257,2258 warning risk-level CORRUPTION-003',
      '1619,2251,2252 warning risk-level CORRUPTION-004',
      '1621,2251,2252 warning risk-level EXHAUSTION-002',
      '1622,2245,2246,2327 error risk-level EXHAUSTION-003', // HIGH at RPN 384
      '1623,2245,2246,2328 error risk-level EXHAUSTION-004', // MEDIUM at RPN 252
      '1624,1631 error priority-level SECURITY-001', // P1 is "Critical", the row says HIGH
      '1624,716,718,719,1645 error rating-conflict SECURITY-001', // table S9 RPN 135 vs §7.1 RPN 45 (S 3)
      '1624,2329 warning risk-level SECURITY-001',
      '1625,742,744,745,1658 error rating-conflict SECURITY-002', // table S8 RPN 192 vs §7.1 RPN 96 (S 4)
      '1625,2329 warning risk-level SECURITY-002',
      '1626,1680 error priority-conflict SECURITY-003', // P3 in the table, listed under P4
      '1626,2251,2252 warning risk-level SECURITY-003',
      '1627,798,800,801,1657 error rating-conflict SECURITY-004', // table S8 RPN 224 vs §7.3 RPN 112 (S 4)
      '1627,2245,2246 warning risk-level SECURITY-004',
      // §11.2 per-priority sums and counts.
      '1632,1638,1639,1640,1641,1642,1643,1644,1645 error priority-total ', // P1 2,772 stated, items sum to 2,653
      '1648,1654,1655,1656,1657,1658,1659 error priority-total ', // P2 1,568 stated, items sum to 1,600
      '1649,1654,1655,1656,1657,1658,1659 error priority-count ', // P2 7 stated, 6 listed
      '1663,1662,1626 error priority-table ', // P3 4 / 823 stated, table has 5 / 948
      '1675,1674,1680 error priority-table ', // P4 2 / 205 stated, table has 1 / 80
      // §14.1 repeats the summary counts.
      '2241 error count ', '2241 warning count ', '2241 error count ', '2241 error count ',
      // §14.1 and §14.3 name the same RPN ranges differently, and count 43 failures in them.
      '2245,2246,2327 error band-conflict ', // "extreme" = 200–512 vs >300
      '2251,2252,2328 error band-conflict ', // "high" = 100–199 vs 200–300
      '2251,2252 error band-count ', // 16 "high" (100–199): table 6, all 7
      '2257,2258,2329 error band-conflict ', // "moderate" = 50–99 vs 100–199
      '2257,2258 error band-count ', // 10 "medium" (50–99): table 1, all 2
      '2263,2264,2330 error band-conflict ', // "low" = <50 vs 50–99
      '2263,2264 error band-count ', // 2 "low" (<50): none
      '2321 error total-rpn ', // 5,368 stated; table sums to 5,281, the 24 rated to 6,179
      '2324,2245,2251,2257,2263,2327,2328,2329,2330,2331 error threshold-count ', // 33 exceed 50; 20 / 24 / 41
      '2327 error band-count ', // 6 extreme: table 7, all 8
      '2328 error band-count ', // 9 high: table 6, all 7
      '2329 error band-count ', // 16 moderate: table 6, all 7
      '2330 error band-count ', // 10 low: table 1, all 2
      '2331 error band-count ', // 2 acceptable: none
      '2358,1608,1610,1611,1624 error priority-criterion SPOF-001,SPOF-003,SPOF-004,SECURITY-001', // "P1 … RPN >300"
    ]);
  });

  it('states the figures that disagree', () => {
    expect(find('total-rpn', 2321)?.message).toBe("Total RPN 5,368, but the table's RPN column (lines 1608–1627) sums to 5,281; the 24 rated failure modes sum to 6,179");
    expect(find('priority-total', 1632)?.message).toBe('P1: Total RPN 2,772, but the 8 failure modes listed (lines 1638–1645) sum to 2,653');
    expect(find('priority-count', 1649)?.message).toBe('P2: 7 failure modes stated, but 6 are listed (lines 1654–1659)');
    expect(find('rating-conflict', 1624)?.message).toContain('line 1624 (table): S 9, O 5, D 3, RPN 135; lines 716–719 (section): S 3 (implied by RPN ÷ (O × D)), O 5, D 3, RPN 45');
    expect(find('band-conflict', 2251)?.message).toBe('"high" risk is RPN 100–199 at lines 2251–2252 but RPN 200–300 at line 2328');
    expect(find('threshold-count', 2324)?.message).toContain('33 failures exceed the acceptable threshold 50, but the table has 20 above 50; the 24 rated failure modes have 24');
    expect(find('count', 10)?.message).toBe('"15 single points of failure", but the document has 9 SPOF ids (SPOF-001 … SPOF-009)');
    expect(find('risk-level', 1612)?.message).toBe('SPOF-005: Risk Level HIGH, but RPN 336 is "critical" (200–512) by the bands at lines 2245–2264 and "extreme" (>300) by the bands at lines 2327–2331');
  });

  it('accepts the figures that do add up: RPN = S × O × D everywhere, the average, the 200 threshold, P3/P4 lists', () => {
    const rules = result!.findings.map((finding) => finding.rule);
    expect(rules).not.toContain('rpn-mismatch');
    expect(rules).not.toContain('average-rpn');
    expect(rules).not.toContain('band-percent');
    expect(find('threshold-count', 2323)).toBeUndefined();
  });
});

describe.skipIf(!hasSeeds)('fmea lint on the other seeds', () => {
  for (const name of ['001_a0e0c679a4ee87bd.txt', '002_d66a4f7267be67ed.txt', '003_6dce0df1e6a4fdae.txt', '004_098b57c6cf46101a.txt']) {
    it(`reads ${name} without failing`, () => {
      const result = lintDocument(`${seeds}${name}`);
      expect(result.findings).toEqual([]);
    });
  }
});
