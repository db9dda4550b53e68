// A problem found in an input file, kept structured until it is printed.
import type { SourcePoint } from '../scenario/positions.js';

/** One problem: where (as the user typed the file), which field, and what is wrong. */
export interface Problem {
  file: string;
  /** 1-based; null when the problem concerns the whole path (e.g. it does not exist). */
  line: number | null;
  column: number | null;
  /** Field path such as `steadyState.1.session`; empty for the file itself. */
  path: string;
  message: string;
}

/** Creates a problem at a point of a file. */
export function createProblem(file: string, point: SourcePoint | undefined, path: string, message: string): Problem {
  return { file, line: point?.line ?? null, column: point?.column ?? null, path, message };
}

/** Formats a problem as one line: `scenarios/x.yaml:12:5 fault.type: expected …; got …`. */
export function formatProblem(problem: Problem): string {
  if (problem.line === null) return `${problem.file}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
  const where = `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return problem.path ? `${where} ${problem.path}: ${problem.message}` : `${where} ${problem.message}`;
}

/** Orders problems by position within each file, files in the order given (others as they first appear). */
export function sortProblems(problems: Problem[], fileOrder: readonly string[] = []): Problem[] {
  const ranks = new Map<string, number>();
  for (const file of [...fileOrder, ...problems.map((problem) => problem.file)]) if (!ranks.has(file)) ranks.set(file, ranks.size);
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) =>
      (ranks.get(a.problem.file) ?? 0) - (ranks.get(b.problem.file) ?? 0) ||
      (a.problem.line ?? 0) - (b.problem.line ?? 0) ||
      (a.problem.column ?? 0) - (b.problem.column ?? 0) ||
      a.order - b.order)
    .map(({ problem }) => problem);
}
