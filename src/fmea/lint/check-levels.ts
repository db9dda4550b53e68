// Risk levels against the bands the document defines (or the configured bands when it defines none).
import type { BandStatement, FmeaDocument } from '../document/model.js';
import type { FmeaConfig } from '../schema/config.js';
import { formatBandRange, isSameLevel, normalizeLevel } from '../scoring/risk-bands.js';
import { createFinding, formatLines, type LintFinding } from './finding.js';

/** A set of bands and where it was stated (no lines for the configured defaults). */
interface BandSet {
  bands: BandStatement[];
  where: string;
  lines: number[];
}

/** Band definitions that contradict each other, and table rows whose risk level their RPN contradicts. */
export function checkRiskLevels(document: FmeaDocument, config: FmeaConfig): LintFinding[] {
  const sets = getBandSets(document, config);
  return [...checkBandConflicts(sets, config), ...checkRows(document, sets, config)];
}

function getBandSets(document: FmeaDocument, config: FmeaConfig): BandSet[] {
  if (document.bandSets.length > 0) {
    return document.bandSets.map((bands) => {
      const lines = bands.flatMap((band) => band.lines);
      return { bands, where: `the bands at ${formatLines(lines)}`, lines };
    });
  }
  const bands = config.bands.map((band) => ({ label: band.name, aliases: [], min: band.min, max: band.max, line: 0, lines: [] }));
  return [{ bands, where: 'the configured bands', lines: [] }];
}

// The same level word given two different RPN ranges (e.g. "high" = 100–199 here, 200–300 there).
function checkBandConflicts(sets: BandSet[], config: FmeaConfig): LintFinding[] {
  const findings: LintFinding[] = [];
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      for (const left of sets[i]!.bands) {
        const match = findSameBand(sets[j]!.bands, [left.label, ...left.aliases], config);
        if (!match || (match.band.min === left.min && match.band.max === left.max)) continue;
        findings.push(createFinding('band-conflict', [...left.lines, ...match.band.lines],
          `"${match.word}" risk is RPN ${formatBandRange(left)} at ${formatLines(left.lines)} but RPN ${formatBandRange(match.band)} at ${formatLines(match.band.lines)}`));
      }
    }
  }
  return findings;
}

function checkRows(document: FmeaDocument, sets: BandSet[], config: FmeaConfig): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const entry of document.tables) {
    const rpn = entry.rpn ?? (entry.severity && entry.occurrence && entry.detection ? entry.severity * entry.occurrence * entry.detection : undefined);
    if (!entry.riskLevel || rpn === undefined) continue;
    const readings = sets
      .map((set) => ({ set, band: findBand(set.bands, entry.riskLevel!, config), actual: set.bands.find((band) => rpn >= band.min && rpn <= band.max) }))
      .filter((reading) => reading.band !== undefined);
    if (readings.length === 0) {
      const known = [...new Set(sets.flatMap((set) => set.bands.map((band) => band.label)))].join(', ');
      findings.push(createFinding('unknown-risk-level', [entry.line], `${entry.id}: Risk Level ${entry.riskLevel} is none of the bands (${known})`, { ids: [entry.id], severity: 'warning' }));
      continue;
    }
    const contradicting = readings.filter((reading) => rpn < reading.band!.min || rpn > reading.band!.max);
    if (contradicting.length === 0) continue;
    const says = contradicting.map(({ set, actual }) => `${actual ? `"${actual.label}" (${formatBandRange(actual)})` : 'in no band'} by ${set.where}`).join(' and ');
    const agreeing = readings.filter((reading) => !contradicting.includes(reading));
    const but = agreeing.length > 0 ? `; it fits "${agreeing[0]!.band!.label}" (${formatBandRange(agreeing[0]!.band!)}) by ${agreeing[0]!.set.where}` : '';
    findings.push(createFinding('risk-level', [entry.line, ...contradicting.flatMap(({ actual }) => actual?.lines ?? [])],
      `${entry.id}: Risk Level ${entry.riskLevel}, but RPN ${rpn} is ${says}${but}`,
      { ids: [entry.id], severity: agreeing.length > 0 ? 'warning' : 'error' }));
  }
  return findings;
}

// A band of the other set named by one of the words: exact names before synonyms.
function findSameBand(bands: BandStatement[], words: string[], config: FmeaConfig): { band: BandStatement; word: string } | undefined {
  for (const word of words) {
    const band = bands.find((other) => other.label === word || other.aliases.includes(word));
    if (band) return { band, word };
  }
  for (const word of words) {
    const band = bands.find((other) => [other.label, ...other.aliases].some((name) => isSameLevel(name, word, config.levelSynonyms)));
    if (band) return { band, word };
  }
  return undefined;
}

// Exact label first, then an alias ("(extreme risk)"), then a synonym (critical = extreme).
function findBand(bands: BandStatement[], level: string, config: FmeaConfig): BandStatement | undefined {
  const word = normalizeLevel(level);
  return bands.find((band) => band.label === word)
    ?? bands.find((band) => band.aliases.includes(word))
    ?? bands.find((band) => [band.label, ...band.aliases].some((other) => isSameLevel(other, word, config.levelSynonyms)));
}
