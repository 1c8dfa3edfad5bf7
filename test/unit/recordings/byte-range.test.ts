import { chooseRange } from '../../../src/recordings/byte-range';

const SIZE = 100_000;
const ETAG = '"abc"';
const choose = (range: string | undefined, ifRange?: string) =>
  chooseRange(SIZE, range, { etag: ETAG, ...(ifRange === undefined ? {} : { ifRange }) });
const whole = { start: 0, end: SIZE - 1 };

describe('chooseRange (RFC 9110 byte ranges)', () => {
  it.each([
    ['bytes=0-', { start: 0, end: SIZE - 1 }],
    ['bytes=00-', { start: 0, end: SIZE - 1 }],
    ['bytes=1-', { start: 1, end: SIZE - 1 }],
    ['bytes=-90924', { start: SIZE - 90924, end: SIZE - 1 }],
    ['bytes=-200000', whole], // a suffix longer than the file is the whole file
    ['bytes=100-199', { start: 100, end: 199 }],
    ['bytes=99999-', { start: 99999, end: 99999 }],
    ['bytes=5-999999', { start: 5, end: SIZE - 1 }], // the last byte clipped to the file
    ['Bytes=10-19', { start: 10, end: 19 }], // units are case-insensitive
    ['bytes=0-9,10-19', { start: 0, end: 19 }], // adjacent: combined into one
    ['bytes=0-99, 50-149', { start: 0, end: 149 }], // overlapping: combined
  ])('%s → 206 of one span', (header, span) => {
    expect(choose(header)).toEqual({ kind: 'partial', span });
  });

  it.each([
    [undefined, 'none'],
    ['bytes=a-b', 'malformed'],
    ['bytes=1x-', 'malformed'],
    ['bytes=-', 'malformed'],
    ['bytes=', 'malformed'],
    ['bytes 0-1', 'malformed'],
    ['bytes=0-1,', 'malformed'],
    ['bytes=+1-2', 'malformed'],
    ['bytes=0x10-', 'malformed'],
    ['bytes=1e3-', 'malformed'],
    ['items=0-1', 'unit'],
    ['bytes=0-9,20-29', 'multiple'],
  ])('%s → 200 with the whole file (%s)', (header, ignored) => {
    expect(choose(header)).toEqual({ kind: 'full', span: whole, ignored });
  });

  it.each(['bytes=100000-', 'bytes=200000-300000', 'bytes=-0', 'bytes=5-2', 'bytes=100000-,-0'])(
    '%s → 416',
    (header) => {
      expect(choose(header)).toEqual({ kind: 'unsatisfiable' });
    },
  );

  it('honours If-Range only when it is the ETag', () => {
    expect(choose('bytes=1-', ETAG)).toMatchObject({ kind: 'partial' });
    expect(choose('bytes=1-', '"other"')).toEqual({
      kind: 'full',
      span: whole,
      ignored: 'if-range',
    });
    expect(choose('bytes=1-', 'Wed, 21 Oct 2015 07:28:00 GMT')).toMatchObject({ kind: 'full' });
    expect(chooseRange(SIZE, 'bytes=1-', { etag: null, ifRange: ETAG })).toMatchObject({
      kind: 'full',
    });
  });

  it('an empty file has no span: 200 empty, and every range is unsatisfiable', () => {
    expect(chooseRange(0, undefined, { etag: null })).toEqual({
      kind: 'full',
      span: null,
      ignored: 'none',
    });
    expect(chooseRange(0, 'bytes=0-', { etag: null })).toEqual({ kind: 'unsatisfiable' });
    expect(chooseRange(0, 'bytes=-5', { etag: null })).toEqual({ kind: 'unsatisfiable' });
  });
});
