import { describe, expect, it } from 'vitest';
import { parseYamlDocuments, YamlSyntaxError, type DataPath } from '../../src/scenario/positions.js';

const text = `# a comment line
id: kill-x
tags: [a, b]
fmea: { id: SPOF-001, severity: 11 }
steadyState:
  - probe: tmux.session
    session: tmux-orc
  -
  - probe: file.parses   # trailing comment
    path: "config/o.conf"
fault:
  type: tmux.kil
empty:
last:
  # a comment before the list
  - x
`;

function parse(source: string) {
  const [document] = parseYamlDocuments(source);
  if (!document) throw new Error('no document');
  return document;
}

describe('parseYamlDocuments', () => {
  const { value, positions } = parse(text);
  const at = (path: DataPath) => positions.get(path);

  it('parses the value as js-yaml does', () => {
    expect(value).toMatchObject({ id: 'kill-x', fault: { type: 'tmux.kil' }, empty: null });
  });

  it('records the value and key of block mapping entries', () => {
    expect(at(['id'])).toEqual({ value: { line: 2, column: 5 }, key: { line: 2, column: 1 } });
    expect(at(['fault', 'type'])).toEqual({ value: { line: 12, column: 9 }, key: { line: 12, column: 3 } });
  });

  it('records entries of flow mappings and sequences', () => {
    expect(at(['fmea', 'severity'])).toEqual({ value: { line: 4, column: 33 }, key: { line: 4, column: 23 } });
    expect(at(['tags', 1])?.value).toEqual({ line: 3, column: 11 });
  });

  it('places a nested collection at its first content, after comments and line breaks', () => {
    expect(at(['steadyState'])?.value).toEqual({ line: 6, column: 3 });
    expect(at(['steadyState', 0])?.value).toEqual({ line: 6, column: 5 });
    expect(at(['last'])?.value).toEqual({ line: 16, column: 3 });
  });

  it('keeps list indexes right after an empty item', () => {
    expect(at(['steadyState', 1])).toBeUndefined();
    expect(at(['steadyState', 2, 'path'])?.value).toEqual({ line: 10, column: 11 });
  });

  it('places an empty value at its key', () => {
    expect(at(['empty'])).toEqual({ value: { line: 13, column: 1 }, key: { line: 13, column: 1 } });
  });

  it('falls back to the nearest known ancestor for a path with no node', () => {
    expect(positions.locate(['fault', 'session'])).toEqual({ line: 12, column: 3 });
    expect(positions.locate(['steadyState', 0, 'session'], 'key')).toEqual({ line: 7, column: 5 });
  });

  it('counts columns after a byte order mark as an editor does', () => {
    expect(parse('\uFEFFid: x\n').positions.get(['id'])?.value).toEqual({ line: 1, column: 5 });
  });

  it('reports a syntax error with its line and column', () => {
    const error = (() => {
      try {
        parseYamlDocuments('a: 1\n b: 2\n');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(YamlSyntaxError);
    expect(error).toMatchObject({ line: 2, column: 3, message: 'bad indentation of a mapping entry' });
  });

  it('reports a duplicated key as a syntax error at the second key', () => {
    expect(() => parseYamlDocuments('id: a\nid: b\n')).toThrow(expect.objectContaining({ line: 2, column: 1, message: 'duplicated mapping key' }));
  });
});
