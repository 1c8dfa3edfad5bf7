import { maskNumber, normaliseNumber } from '../../../src/customers/normalise-number';

describe('normaliseNumber', () => {
  it.each([
    ['+86 138 1234 5678', '+8613812345678'],
    ['13812345678', '+8613812345678'],
    ['013812345678', '+8613812345678'],
    ['008613812345678', '+8613812345678'],
    ['8613812345678', '+8613812345678'],
    ['(010) 1234-5678', '+861012345678'],
    ['tel:+4930123456', '+4930123456'],
    ['4930123456', '+4930123456'],
  ])('reads %s as %s with region CN', (raw, e164) => {
    expect(normaliseNumber(raw, 'CN')?.e164).toBe(e164);
  });

  it('uses the default region for national numbers', () => {
    expect(normaliseNumber('030 1234567', 'DE')?.e164).toBe('+49301234567');
    expect(normaliseNumber('030 1234567', 'DE')?.region).toBe('DE');
  });

  it.each([
    '',
    'anonymous',
    '12345',
    'abc1234567',
    '+',
    '1'.repeat(41),
    '138-1234-5678; drop table',
  ])('refuses %p', (raw) => {
    expect(normaliseNumber(raw, 'CN')).toBeNull();
  });

  it('masks all but the country prefix and the last four digits', () => {
    expect(maskNumber('+8613812345678')).toBe('+861****5678');
    expect(maskNumber('123')).toBe('***');
  });
});
