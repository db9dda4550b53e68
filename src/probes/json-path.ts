// A small JSON path for probes: dot-separated keys with [n] indices ("checks.redis.ok", "failed[0]").
/** The parts of a path, or undefined when it is not one ("a.b[0].c" → ['a', 'b', 0, 'c']). */
export function parseJsonPath(path: string): Array<string | number> | undefined {
  if (path === '') return [];
  const parts: Array<string | number> = [];
  for (const segment of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(segment);
    if (!match || (match[1] === '' && match[2] === '')) return undefined;
    if (match[1] !== '') parts.push(match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts;
}

/** The value at a parsed path, or `{ missing: where }` naming the first part that is not there. */
export function readJsonPath(value: unknown, parts: ReadonlyArray<string | number>): { value: unknown } | { missing: string } {
  let current = value;
  let where = '';
  for (const part of parts) {
    where += typeof part === 'number' ? `[${part}]` : where === '' ? part : `.${part}`;
    if (typeof part === 'number' ? !Array.isArray(current) || part >= current.length : typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, part)) {
      return { missing: where };
    }
    current = (current as Record<string | number, unknown>)[part];
  }
  return { value: current };
}

/** Deep equality of JSON values (key order ignored). */
export function equalsJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => Object.hasOwn(b, key) && equalsJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
