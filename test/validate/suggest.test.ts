import { describe, expect, it } from 'vitest';
import { measureEditDistance, suggestName } from '../../src/validate/suggest.js';

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
