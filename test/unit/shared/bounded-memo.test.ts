import { boundedMemo } from '../../../src/shared/bounded-memo';

it('calls the function once per argument, null results included, and forgets the oldest beyond the limit', () => {
  const calls: string[] = [];
  const f = boundedMemo((s: string) => {
    calls.push(s);
    return s === 'none' ? null : s.toUpperCase();
  }, 2);
  expect(f('a')).toBe('A');
  expect(f('a')).toBe('A');
  expect(f('none')).toBeNull();
  expect(f('none')).toBeNull();
  expect(calls).toEqual(['a', 'none']);
  // A third argument: 'a', the oldest, is forgotten; 'none' is still known.
  expect(f('b')).toBe('B');
  expect(f('none')).toBeNull();
  expect(f('a')).toBe('A');
  expect(calls).toEqual(['a', 'none', 'b', 'a']);
});
