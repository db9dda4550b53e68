import { describe, expect, it } from 'vitest';
import { computeRpn, DEFAULT_FMEA_CONFIG, getPriorityBucket, getRiskBand, isSameLevel, rankRows, resolveFmeaConfig } from '../../../src/fmea/index.js';

describe('computeRpn', () => {
  it('multiplies S, O and D', () => {
    expect(computeRpn(10, 3, 9)).toBe(270);
    expect(computeRpn(1, 1, 1)).toBe(1);
    expect(computeRpn(10, 10, 10)).toBe(1000);
  });

  it('names the rating that is out of range', () => {
    expect(() => computeRpn(10, 0, 9)).toThrow('occurrence must be an integer from 1 to 10; got 0');
  });
});

describe('risk bands', () => {
  it('uses seed 000 bands by default, boundaries included', () => {
    const band = (rpn: number) => getRiskBand(rpn, DEFAULT_FMEA_CONFIG.bands)?.name;
    expect([49, 50, 99, 100, 199, 200, 300, 301, 1000].map(band)).toEqual([
      'acceptable', 'low', 'low', 'moderate', 'moderate', 'high', 'high', 'extreme', 'extreme',
    ]);
  });

  it('buckets priorities by RPN, P1 above 300 as seed 000 states', () => {
    const bucket = (rpn: number) => getPriorityBucket(rpn, DEFAULT_FMEA_CONFIG.priorityBuckets)?.name;
    expect([512, 301, 300, 200, 199, 100, 99, 1].map(bucket)).toEqual(['P1', 'P1', 'P2', 'P2', 'P3', 'P3', 'P4', 'P4']);
  });

  it('takes configured bands in place of the defaults', () => {
    const config = resolveFmeaConfig({ bands: [{ name: 'red', min: 100, max: 1000 }, { name: 'green', min: 1, max: 99 }] });
    expect(getRiskBand(150, config.bands)?.name).toBe('red');
    expect(config.detection).toEqual(DEFAULT_FMEA_CONFIG.detection);
  });

  it('treats critical as extreme and medium as moderate', () => {
    expect(isSameLevel('CRITICAL', 'extreme', DEFAULT_FMEA_CONFIG.levelSynonyms)).toBe(true);
    expect(isSameLevel('Medium', 'moderate', DEFAULT_FMEA_CONFIG.levelSynonyms)).toBe(true);
    expect(isSameLevel('HIGH', 'moderate', DEFAULT_FMEA_CONFIG.levelSynonyms)).toBe(false);
  });
});

describe('rankRows', () => {
  it('ranks by AP first, then S, then RPN', () => {
    const rows = [
      { id: 'low-ap-high-rpn', severity: 6, occurrence: 7, detection: 8 }, // RPN 336, AP M
      { id: 'high-ap-low-rpn', severity: 9, occurrence: 2, detection: 7 }, // RPN 126, AP H
      { id: 'high-ap-s10', severity: 10, occurrence: 3, detection: 9 }, // RPN 270, AP H
      { id: 'high-ap-s10-more', severity: 10, occurrence: 4, detection: 9 }, // RPN 360, AP H
      { id: 'l', severity: 2, occurrence: 3, detection: 4 }, // AP L
    ];
    expect(rankRows(rows).map((row) => row.id)).toEqual(['high-ap-s10-more', 'high-ap-s10', 'high-ap-low-rpn', 'low-ap-high-rpn', 'l']);
  });
});
