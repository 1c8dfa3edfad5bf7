import { maskDigits, maskPhone, scrubNumbers } from '../../../src/privacy/mask-phone';

describe('maskPhone', () => {
  it.each([
    ['+8613812348000', '+86 138****8000'],
    ['13812348000', '138****8000'],
    ['138-1234-8000', '138****8000'],
    ['+14155552671', '+1 41****2671'],
    ['+4930123456', '+49 ****3456'],
    ['4000', '****'],
    ['+86 138****8000', '+86 138****8000'],
    ['', ''],
  ])('%s → %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it('always hides at least four digits, and all but seven of a long number', () => {
    for (let n = 1; n <= 15; n++) {
      const digits = '123456789012345'.slice(0, n);
      const shown = maskDigits(digits).replace(/\*/g, '').length;
      expect(shown).toBeLessThanOrEqual(Math.max(0, Math.min(7, n - 4)));
    }
  });
});

describe('scrubNumbers', () => {
  it('masks numbers in text, keeps channel ids, UUIDs and short figures', () => {
    const text =
      "insert into calls values ('+8613812348000', '1732000000.42', " +
      "'123e4567-e89b-12d3-a456-426614174000') tel 138 1234 8000, took 1234 ms";
    expect(scrubNumbers(text)).toBe(
      "insert into calls values ('+86 138****8000', '1732000000.42', " +
        "'123e4567-e89b-12d3-a456-426614174000') tel 138****8000, took 1234 ms",
    );
  });
});
