// What faultline reads out of an FMEA document: rated rows, per-section ratings and stated figures.
import type { ColumnField } from '../worksheet/columns.js';

/** A figure the document states, with the line it is on. */
export interface Stated<T> {
  value: T;
  line: number;
}

/** A row of an FMEA table (Markdown or CSV) or of a worksheet (YAML). */
export interface TableEntry {
  id: string;
  line: number;
  /** Line of the table's header (or the file for YAML). */
  tableLine: number;
  text: Partial<Record<ColumnField, string>>;
  severity?: number;
  occurrence?: number;
  detection?: number;
  rpn?: number;
  ap?: string;
  riskLevel?: string;
  priority?: string;
}

/** A rating given in words and a number, e.g. "**Probability**: High (7/10)". */
export interface LabelledRating {
  dimension: 'severity' | 'occurrence' | 'detection';
  word: string;
  value: number;
  line: number;
}

/** The ratings stated in the section about one failure mode (e.g. "#### SPOF-001: …"). */
export interface SectionEntry {
  id: string;
  title: string;
  line: number;
  severity?: Stated<number>;
  occurrence?: Stated<number>;
  detection?: Stated<number>;
  rpn?: Stated<number>;
  labels: LabelledRating[];
  component?: string;
  effect?: string;
  cause?: string;
  scenario?: string;
}

/** A failure mode listed under a priority heading, e.g. "1. CASCADE-002: … (RPN: 512)". */
export interface PriorityItem {
  id: string;
  line: number;
  rpn?: number;
}

/** A priority group such as "#### Priority 1 (Critical - …)" with its stated totals and list. */
export interface PriorityGroup {
  name: string;
  label?: string;
  line: number;
  endLine: number;
  statedTotal?: Stated<number>;
  statedCount?: Stated<number>;
  items: PriorityItem[];
}

/** An RPN band the document defines, e.g. "**High Risk (RPN 200-300)**: 9 failures (21%)". */
export interface BandStatement {
  label: string;
  aliases: string[];
  min: number;
  max: number;
  line: number;
  /** Lines the statement spans (two for "**High Failures (16)**" + "Risk Priority Numbers: 100-199"). */
  lines: number[];
  count?: number;
  percent?: number;
}

/** "N <things>" in prose: a count the document claims. */
export interface CountStatement {
  count: number;
  phrase: string;
  line: number;
  subject: { kind: 'total' } | { kind: 'categories' } | { kind: 'family'; prefix: string };
}

/** "Critical Risk Threshold: 200 (15 failures exceed this)". */
export interface ThresholdStatement {
  label: string;
  threshold: number;
  count: number;
  line: number;
}

/** "5 critical, 7 high": how many failure modes the document says have a risk level. */
export interface LevelCountStatement {
  level: string;
  count: number;
  phrase: string;
  line: number;
}

/** "P1 failures (8 items, RPN >300)": a priority defined by count and RPN range. */
export interface PriorityCriterion {
  priority: string;
  count?: number;
  min: number;
  max: number;
  text: string;
  line: number;
}

/** One step of a rating scale, e.g. "- 3-4: Low probability". */
export interface ScaleStep {
  min: number;
  max: number;
  label: string;
  line: number;
}

/** Everything the linter and importer read from one document. */
export interface FmeaDocument {
  file: string;
  format: 'markdown' | 'csv' | 'yaml';
  /** The first top-level heading, if any. */
  title?: string;
  tables: TableEntry[];
  sections: SectionEntry[];
  priorityGroups: PriorityGroup[];
  bandSets: BandStatement[][];
  counts: CountStatement[];
  totalRpn: Stated<number>[];
  averageRpn: Stated<number>[];
  thresholds: ThresholdStatement[];
  /** Absent in documents read before level counts were (a worksheet has none). */
  levelCounts?: LevelCountStatement[];
  priorityCriteria: PriorityCriterion[];
  scales: Partial<Record<LabelledRating['dimension'], ScaleStep[]>>;
  /** Failure modes listed without ratings; read only from documents that rate none (absent otherwise). */
  unrated?: UnratedMode[];
}

/** The shapes of unrated failure-mode documents faultline recognises. */
export type UnratedShape = 'resilience-matrix' | 'mode-table' | 'numbered-modes' | 'headed-modes' | 'recovery-procedures';

/** A failure mode a document lists without S/O/D, with the words it gives. */
export interface UnratedMode {
  shape: UnratedShape;
  id: string;
  line: number;
  failureMode: string;
  component?: string;
  effect?: string;
  cause?: string;
  preventionControls?: string;
  detectionControls?: string;
  recommendedAction?: string;
  blastRadius?: string;
  effort?: string;
  priority?: string;
  documentStatus?: string;
  reference?: string;
}
