// YAML parsing that remembers where every node starts, so any error can name file:line:col.
import yaml from 'js-yaml';
import { MAX_YAML_DEPTH, MAX_YAML_NODES } from './input-limits.js';

/** A place in a source file, 1-based. */
export interface SourcePoint {
  line: number;
  column: number;
}

/** Where a node's value starts, and its key when it is a mapping entry. */
export interface NodeLocation {
  value: SourcePoint;
  key?: SourcePoint;
}

/** A path into a parsed document: mapping keys and list indexes. */
export type DataPath = ReadonlyArray<string | number>;

/** Formats a path the way messages show it: `steadyState.1.session`. */
export function formatDataPath(path: DataPath): string {
  return path.join('.');
}

// One node as the js-yaml listener saw it: opened at `open`, closed at `close`.
interface RawNode {
  open: number;
  close: number;
  kind: string | null;
  result: unknown;
  children: RawNode[];
}

/** Node locations of one document, looked up by path with a fallback to the nearest ancestor. */
export class PositionMap {
  readonly #locations = new Map<string, NodeLocation>();

  set(path: DataPath, location: NodeLocation): void {
    this.#locations.set(formatDataPath(path), location);
  }

  get(path: DataPath): NodeLocation | undefined {
    return this.#locations.get(formatDataPath(path));
  }

  /** The position of the value (or key) at `path`; an unknown path gives its nearest known ancestor. */
  locate(path: DataPath, which: 'value' | 'key' = 'value'): SourcePoint {
    for (let length = path.length; length >= 0; length -= 1) {
      const location = this.get(path.slice(0, length));
      if (location) return (which === 'key' && length === path.length && location.key) || location.value;
    }
    return { line: 1, column: 1 };
  }
}

/** One parsed YAML document and the positions of its nodes. */
export interface YamlDocument {
  value: unknown;
  positions: PositionMap;
}

/** A YAML syntax error with its place in the text. */
export class YamlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(reason: string, point: SourcePoint, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'YamlSyntaxError';
    this.line = point.line;
    this.column = point.column;
  }
}

/** A YAML text over a size limit (nodes, nesting, aliases expanded): refused before anything walks it. */
export class YamlLimitError extends YamlSyntaxError {
  constructor(reason: string, point: SourcePoint) {
    super(reason, point);
    this.name = 'YamlLimitError';
  }
}

/** Limits on one YAML text: nodes (aliases expanded) and nesting depth. */
export interface YamlLimits {
  maxNodes?: number;
  maxDepth?: number;
}

/** Parses every document of a YAML text, keeping node positions; throws YamlSyntaxError (YamlLimitError past a limit). */
export function parseYamlDocuments(source: string, limits: YamlLimits = {}): YamlDocument[] {
  const maxNodes = limits.maxNodes ?? MAX_YAML_NODES;
  const maxDepth = limits.maxDepth ?? MAX_YAML_DEPTH;
  // js-yaml strips a BOM itself; doing it first keeps its offsets and ours the same.
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const roots: RawNode[] = [];
  const stack: RawNode[] = [];
  let opened = 0;
  let values: unknown[];
  try {
    values = yaml.loadAll(text, undefined, {
      listener(event, state) {
        if (event === 'open') {
          // Stop js-yaml itself early: it recurses per level and keeps every node of a huge list.
          opened += 1;
          if (stack.length >= maxDepth) throw new YamlLimitError(`nested more than ${maxDepth} levels deep (the limit); a scenario needs a handful`, createLocator(text).toPoint(state.position));
          if (opened > maxNodes) throw new YamlLimitError(`more than ${maxNodes} YAML nodes (the limit); split the file`, createLocator(text).toPoint(state.position));
          stack.push({ open: state.position, close: state.position, kind: null, result: undefined, children: [] });
          return;
        }
        const node = stack.pop();
        if (!node) return;
        Object.assign(node, { close: state.position, kind: state.kind, result: state.result });
        (stack.at(-1)?.children ?? roots).push(node);
      },
    });
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw error;
    if (error instanceof RangeError) throw new YamlLimitError(`too deeply nested to parse (${error.message})`, { line: 1, column: 1 });
    if (error instanceof yaml.YAMLException) {
      const mark = error.mark as yaml.YAMLException['mark'] | undefined;
      const point = mark ? { line: mark.line + 1, column: mark.column + 1 } : { line: 1, column: 1 };
      throw new YamlSyntaxError(error.reason || error.message, point, { cause: error });
    }
    throw error;
  }
  let budget = maxNodes;
  for (const value of values) budget = countExpandedNodes(value, budget, maxNodes, maxDepth);
  const locator = createLocator(text);
  return values.map((value, index) => {
    const positions = new PositionMap();
    const root = roots[index];
    if (root) recordNode(root, [], positions, locator, undefined);
    else positions.set([], { value: { line: 1, column: 1 } });
    return { value, positions };
  });
}

// Aliases share one object, so a 600-byte file can stand for billions of nodes (or a cycle) once a
// walker expands it. Measure the expansion every later stage would walk without making it: each
// shared object is sized once (size = 1 + its children's sizes), so this costs what the text cost.
function countExpandedNodes(root: unknown, budget: number, maxNodes: number, maxDepth: number): number {
  const sizes = new Map<object, { nodes: number; depth: number }>();
  const open = new Set<object>();
  const tooMany = () => new YamlLimitError(`more than ${maxNodes} YAML nodes once aliases are expanded (the limit); use fewer or smaller aliases`, { line: 1, column: 1 });
  const measure = (node: unknown, level: number): { nodes: number; depth: number } => {
    if (node === null || typeof node !== 'object' || node instanceof Date) return { nodes: 1, depth: 0 };
    const known = sizes.get(node);
    if (known && known.depth + level > maxDepth) throw new YamlLimitError(`nested more than ${maxDepth} levels deep once aliases are expanded (the limit)`, { line: 1, column: 1 });
    if (known) return known;
    if (open.has(node)) throw new YamlLimitError('an alias refers to the node that contains it (a cycle); no scenario needs one', { line: 1, column: 1 });
    // The parse already capped nesting, so this recursion is bounded by the depth limit.
    if (level >= maxDepth) throw new YamlLimitError(`nested more than ${maxDepth} levels deep once aliases are expanded (the limit)`, { line: 1, column: 1 });
    open.add(node);
    let nodes = 1;
    let depth = 0;
    for (const child of Array.isArray(node) ? node : Object.values(node as Record<string, unknown>)) {
      const size = measure(child, level + 1);
      nodes = Math.min(nodes + size.nodes, maxNodes + 1);
      depth = Math.max(depth, size.depth + 1);
      if (depth + level > maxDepth) throw new YamlLimitError(`nested more than ${maxDepth} levels deep once aliases are expanded (the limit)`, { line: 1, column: 1 });
    }
    open.delete(node);
    const size = { nodes, depth };
    sizes.set(node, size);
    return size;
  };
  const left = budget - measure(root, 0).nodes;
  if (left < 0) throw tooMany();
  return left;
}

interface Locator {
  text: string;
  toPoint(offset: number): SourcePoint;
}

function createLocator(text: string): Locator {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 0x0a || (char === 0x0d && text.charCodeAt(index + 1) !== 0x0a)) lineStarts.push(index + 1);
  }
  return {
    text,
    toPoint(offset) {
      let low = 0;
      let high = lineStarts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if ((lineStarts[middle] ?? 0) <= offset) low = middle;
        else high = middle - 1;
      }
      return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
    },
  };
}

// A node opens before the white space and comments in front of it; its content starts after them.
function findContentStart(text: string, offset: number, end: number): number {
  let position = offset;
  while (position < end) {
    const char = text[position];
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') position += 1;
    else if (char === '#') while (position < end && text[position] !== '\n') position += 1;
    else break;
  }
  return position;
}

function recordNode(node: RawNode, path: DataPath, positions: PositionMap, locator: Locator, key: SourcePoint | undefined): void {
  const start = findContentStart(locator.text, node.open, node.close);
  // An empty value (`fault:` with nothing after it) is best shown at its key.
  const value = start >= node.close && key ? key : locator.toPoint(start < node.close ? start : node.open);
  positions.set(path, key ? { value, key } : { value });
  if (node.kind === 'mapping') recordMapping(node, path, positions, locator);
  else if (node.kind === 'sequence') recordSequence(node, path, positions, locator);
}

// Children of a mapping come as key, value, key, value…; a flow key without `:` has no value node.
function recordMapping(node: RawNode, path: DataPath, positions: PositionMap, locator: Locator): void {
  let index = 0;
  while (index < node.children.length) {
    const keyNode = node.children[index] as RawNode;
    index += 1;
    const keyStart = locator.toPoint(findContentStart(locator.text, keyNode.open, keyNode.close));
    const name = String(keyNode.result);
    if (!isFollowedByColon(locator.text, keyNode.close)) {
      positions.set([...path, name], { value: keyStart, key: keyStart });
      continue;
    }
    const valueNode = node.children[index];
    index += 1;
    if (valueNode) recordNode(valueNode, [...path, name], positions, locator, keyStart);
  }
}

// Block sequences push `null` for an empty `-` without opening a node; skip those indexes.
function recordSequence(node: RawNode, path: DataPath, positions: PositionMap, locator: Locator): void {
  const items = Array.isArray(node.result) ? node.result : [];
  let index = 0;
  for (const child of node.children) {
    while (index < items.length && items[index] === null && child.result !== null) index += 1;
    recordNode(child, [...path, index], positions, locator, undefined);
    index += 1;
  }
}

function isFollowedByColon(text: string, offset: number): boolean {
  let position = offset;
  while (text[position] === ' ' || text[position] === '\t') position += 1;
  return text[position] === ':';
}

/** A value found at `path` in a document of `file` (as the user typed it), with that document's positions. */
export interface LocatedValue {
  file: string;
  path: DataPath;
  value: unknown;
  positions: PositionMap;
}
