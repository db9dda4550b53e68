import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importWorksheet, lintDocument, loadWorksheet } from '../../../src/fmea/index.js';

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const seed000 = fileURLToPath(new URL('../../../../shared/seeds/000_3fd77f1e0f255ec2.txt', import.meta.url));

describe('scenarios/worksheet.yaml', () => {
  it('validates and lints clean', () => {
    const { worksheet } = loadWorksheet(root('scenarios/worksheet.yaml'));
    expect(worksheet.rows).toHaveLength(24);
    expect(lintDocument(root('scenarios/worksheet.yaml')).findings).toEqual([]);
  });

  it('holds the S/O/D seed 000 states: the §11.1 table, then SPOF-006…009 from §3', () => {
    const { worksheet } = loadWorksheet(root('scenarios/worksheet.yaml'));
    const byId = new Map(worksheet.rows.map((row) => [row.id, row]));
    expect(worksheet.rows.slice(0, 20).map((row) => row.source)).toEqual(Array.from({ length: 20 }, (_, index) => `000_3fd77f1e0f255ec2.txt:${1608 + index}`));
    expect(byId.get('SPOF-001')).toMatchObject({ severity: 10, occurrence: 3, detection: 9, rpn: 270, ap: 'H' });
    expect(byId.get('CASCADE-002')).toMatchObject({ severity: 8, occurrence: 8, detection: 8, rpn: 512 });
    expect(byId.get('SECURITY-001')).toMatchObject({ severity: 9, occurrence: 5, detection: 3, rpn: 135 });
    expect(byId.get('SPOF-006')).toMatchObject({ severity: 8, occurrence: 5, detection: 7, rpn: 280, source: '000_3fd77f1e0f255ec2.txt:268' });
  });

  it.skipIf(!existsSync(seed000))('is what `fmea import` makes of seed 000 today', () => {
    const { worksheet } = loadWorksheet(root('scenarios/worksheet.yaml'));
    expect(importWorksheet(seed000).worksheet.rows).toEqual(worksheet.rows);
  });
});
