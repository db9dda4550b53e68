import { describe, expect, it } from 'vitest';
import { measureEditDistance, suggestName, suggestValue } from '../../src/validate/suggest.js';

describe('suggestName', () => {
  const fields = ['probe', 'name', 'intervalMs', 'session', 'timeoutMs'];

  it('suggests the field a typo is closest to', () => {
    expect(suggestName('sesion', fields)).toBe('session');
    expect(suggestName('timeout', fields)).toBe('timeoutMs');
    expect(suggestName('Session', fields)).toBe('session');
  });

  it('suggests nothing when no name is close', () => {
    expect(suggestName('bogus', fields)).toBeUndefined();
    expect(suggestName('x', [])).toBeUndefined();
  });
});

describe('measureEditDistance', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(measureEditDistance('sesison', 'session')).toBe(1);
    expect(measureEditDistance('kitten', 'sitting')).toBe(3);
    expect(measureEditDistance('', 'abc')).toBe(3);
  });
});

describe('suggestValue', () => {
  const probes = ['tmux.session', 'tmux.window', 'tmux.pane-alive', 'file.fresh'];

  it('names the allowed value a typo is closest to, or the one value a cut-short word begins', () => {
    expect(suggestValue('tmux.sesion', probes)).toBe('; did you mean "tmux.session"?');
    expect(suggestValue('trunc', ['truncate', 'random-bytes', 'empty'])).toBe('; did you mean "truncate"?');
  });

  it('says nothing when no value is close, the prefix is ambiguous, or the value is not a string', () => {
    expect(suggestValue('bogus', probes)).toBe('');
    expect(suggestValue('tmux.', probes)).toBe('');
    expect(suggestValue(3, probes)).toBe('');
    expect(suggestValue('x', undefined)).toBe('');
  });
});
