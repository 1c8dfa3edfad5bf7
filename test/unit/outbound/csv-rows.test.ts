import { contactZone, zoneOfRegion } from '../../../src/outbound/lists/contact-timezone';
import { readCsv } from '../../../src/outbound/lists/csv-reader';
import {
  headerProblem,
  processRows,
  rawLine,
  rowInput,
  RAW_MAX,
  type FieldMapping,
  type KnownNumbers,
  type RowOptions,
} from '../../../src/outbound/lists/csv-rows';

const mapping: FieldMapping = { phone: 'Mobile', firstName: 'Name' };
const users = new Map([
  ['anna', 11],
  ['ben', 12],
]);
const opts = (over: Partial<RowOptions> = {}): RowOptions => ({
  mapping,
  defaultRegion: 'CN',
  assignTo: null,
  usersByName: users,
  ...over,
});
const known = (over: Partial<KnownNumbers> = {}): KnownNumbers => ({
  seen: new Set(),
  inCampaign: new Set(),
  dnc: new Set(),
  ...over,
});

/** Parses the CSV text as the import job does (small slices, to cross slice boundaries), then the rows. */
async function run(csv: string | Buffer, o = opts(), k = known()) {
  const records: string[][] = [];
  for await (const r of readCsv(csv, 7)) records.push(r);
  const [header = [], ...data] = records;
  return {
    header,
    ...processRows(
      data.map((values, i) => rowInput(header, values, i + 1)),
      o,
      k,
    ),
  };
}

describe('contactZone', () => {
  it.each([
    ['+447911123456', 'GG', 'Europe/London'], // a Guernsey mobile: +44 but its own region
    ['+442079460958', 'GB', 'Europe/London'],
    ['+8613800138000', 'CN', 'Asia/Shanghai'], // one legal time, though tzdata lists Urumqi too
    ['+12125550100', 'US', null], // several zones: the campaign's applies
    ['+18765551234', 'JM', 'America/Jamaica'], // +1 but a one-zone country
    ['+33612345678', 'FR', 'Europe/Paris'],
    ['+4930901820', 'DE', 'Europe/Berlin'], // Büsingen's Europe/Zurich keeps the same clock
    ['+61412345678', 'AU', null],
    ['+80012345678', null, null], // non-geographic
  ])('%s → %s %s', (e164, region, timezone) => {
    expect(contactZone(e164)).toEqual({ region, timezone });
  });

  it('reads regions case-insensitively and gives null for unknown ones', () => {
    expect(zoneOfRegion('jp')).toBe('Asia/Tokyo');
    expect(zoneOfRegion('XX')).toBeNull();
  });
});

describe('rawLine', () => {
  it('joins the values back as CSV, quoting where needed, cut to 1000 characters', () => {
    expect(rawLine(['a', 'b, c', 'say "hi"', 'two\nlines', ''])).toBe(
      'a,"b, c","say ""hi""","two\nlines",',
    );
    expect(rawLine(['x'.repeat(2000)])).toHaveLength(RAW_MAX);
  });
});

describe('headerProblem', () => {
  it('needs every mapped column and the assignTo column, each once', () => {
    expect(headerProblem(['Mobile', 'Name'], mapping)).toBeNull();
    expect(headerProblem(['Phone', 'Name'], mapping)).toMatch(/mapping.phone: column "Mobile"/);
    expect(headerProblem(['Mobile', 'Name'], mapping, { column: 'Agent' })).toMatch(
      /assignTo.column/,
    );
    expect(headerProblem(['Mobile', 'Name', 'Name'], mapping)).toMatch(/appears twice/);
    expect(headerProblem([''], mapping)).toMatch(/no header/);
  });
});

describe('processRows', () => {
  it('keeps a good row: E.164, region, zone, mapped fields and every other column', async () => {
    const r = await run('Name,Mobile,City,Notes\nAnna Li,138 0013 8000,Beijing,VIP\n');
    expect(r.errors).toEqual([]);
    expect(r.contacts).toEqual([
      {
        row: 1,
        phone: '+8613800138000',
        region: 'CN',
        timezone: 'Asia/Shanghai',
        // The mapped column is under its field name, not also under its header.
        fields: { firstName: 'Anna Li', City: 'Beijing', Notes: 'VIP' },
        assignedUserId: null,
        status: 'new',
      },
    ]);
    expect(r.counts).toEqual({ rows: 1, accepted: 1, rejected: 0, duplicates: 0, dnc: 0 });
  });

  it('skips a UTF-8 BOM (string or bytes) so the first header is found', async () => {
    const text = '\uFEFFMobile,Name\n+447911123456,Jo\n';
    for (const csv of [text, Buffer.from(text, 'utf8')]) {
      const r = await run(csv);
      expect(r.header).toEqual(['Mobile', 'Name']);
      expect(r.contacts[0]).toMatchObject({ phone: '+447911123456', timezone: 'Europe/London' });
    }
  });

  it('reads quoted commas, doubled quotes, embedded newlines and CRLF', async () => {
    const csv =
      'Mobile,Name,Address\r\n' +
      '13800138000,"Li, Anna","1 Main St\r\nFlat 2"\r\n' +
      '13900139000,"Ben ""the Boss"" Wu",Shanghai\r\n';
    const r = await run(csv);
    expect(r.contacts.map((c) => [c.row, c.fields])).toEqual([
      [1, { firstName: 'Li, Anna', Address: '1 Main St\r\nFlat 2' }],
      [2, { firstName: 'Ben "the Boss" Wu', Address: 'Shanghai' }],
    ]);
  });

  it('keeps multi-byte text across the parser slices', async () => {
    const r = await run('Mobile,Name\n13800138000,张三丰先生\n');
    expect(r.contacts[0]?.fields.firstName).toBe('张三丰先生');
  });

  it('rejects missing and bad numbers with the row and its raw line', async () => {
    const csv = [
      'Mobile,Name',
      ',No Number',
      '12345,Too Short',
      'call me,Words',
      '+86 138 0013 800,One Digit Short',
      '13800138000,Good',
    ].join('\n');
    const r = await run(csv);
    expect(r.errors).toEqual([
      { row: 1, reason: 'missing-phone', raw: ',No Number' },
      { row: 2, reason: 'bad-phone', raw: '12345,Too Short' },
      { row: 3, reason: 'bad-phone', raw: 'call me,Words' },
      { row: 4, reason: 'bad-phone', raw: '+86 138 0013 800,One Digit Short' },
    ]);
    expect(r.contacts.map((c) => c.row)).toEqual([5]);
    expect(r.counts).toEqual({ rows: 5, accepted: 1, rejected: 4, duplicates: 0, dnc: 0 });
  });

  it('a short row reads its missing cells as empty; extra cells of a long row are not fields', async () => {
    const r = await run('Name,Mobile\nOnly Name\nLong,13800138000,extra\n');
    expect(r.errors).toEqual([{ row: 1, reason: 'missing-phone', raw: 'Only Name' }]);
    expect(r.contacts[0]?.fields).toEqual({ firstName: 'Long' });
  });

  it('the same number twice in the file (in any notation) keeps the first', async () => {
    const csv = 'Mobile,Name\n13800138000,A\n+86 138-0013-8000,B\n008613800138000,C\n';
    const r = await run(csv);
    expect(r.contacts.map((c) => c.fields.firstName)).toEqual(['A']);
    expect(r.errors.map((e) => [e.row, e.reason])).toEqual([
      [2, 'duplicate-in-file'],
      [3, 'duplicate-in-file'],
    ]);
    expect(r.counts).toMatchObject({ accepted: 1, rejected: 2, duplicates: 2 });
  });

  it('duplicates across chunks: `seen` carries the numbers already kept', async () => {
    const k = known();
    await run('Mobile,Name\n13800138000,A\n', opts(), k);
    const r = await run('Mobile,Name\n13800138000,again\n', opts(), k);
    expect(r.errors.map((e) => e.reason)).toEqual(['duplicate-in-file']);
  });

  it('a row rejected for another reason does not claim its number', async () => {
    const csv = 'Mobile,Name,Agent\n13800138000,A,nobody\n13800138000,B,anna\n';
    const r = await run(csv, opts({ assignTo: { column: 'Agent' } }));
    expect(r.errors.map((e) => [e.row, e.reason])).toEqual([[1, 'unknown-agent']]);
    expect(r.contacts.map((c) => [c.row, c.assignedUserId])).toEqual([[2, 11]]);
  });

  it('a number already in the campaign is rejected as duplicate-in-campaign', async () => {
    const r = await run(
      'Mobile,Name\n13800138000,A\n13900139000,B\n',
      opts(),
      known({ inCampaign: new Set(['+8613800138000']) }),
    );
    expect(r.errors.map((e) => [e.row, e.reason])).toEqual([[1, 'duplicate-in-campaign']]);
    expect(r.counts).toEqual({ rows: 2, accepted: 1, rejected: 1, duplicates: 1, dnc: 0 });
  });

  it('a DNC number (global or the campaign’s, merged by the job) is kept with status dnc and listed', async () => {
    const r = await run(
      'Mobile,Name\n13800138000,A\n13900139000,B\n',
      opts(),
      known({ dnc: new Set(['+8613900139000']) }),
    );
    expect(r.contacts.map((c) => [c.row, c.status])).toEqual([
      [1, 'new'],
      [2, 'dnc'],
    ]);
    expect(r.errors).toEqual([{ row: 2, reason: 'do-not-call', raw: '13900139000,B' }]);
    // dnc is part of accepted: rows = accepted + rejected still holds.
    expect(r.counts).toEqual({ rows: 2, accepted: 2, rejected: 0, duplicates: 0, dnc: 1 });
  });

  it('assigns by username; an unknown name is rejected, an empty cell is unassigned', async () => {
    const csv = 'Mobile,Name,Agent\n13800138000,A,anna\n13900139000,B,Anna\n13700137000,C,\n';
    const r = await run(csv, opts({ assignTo: { column: 'Agent' } }));
    expect(r.contacts.map((c) => [c.row, c.assignedUserId])).toEqual([
      [1, 11],
      [3, null],
    ]);
    // Usernames are exact, as at login; the agent column is not kept as a field.
    expect(r.errors.map((e) => [e.row, e.reason])).toEqual([[2, 'unknown-agent']]);
    expect(r.contacts[0]?.fields).toEqual({ firstName: 'A' });
  });

  it('keeps unmapped columns, with empty values, under their headers; unnamed columns only in raw', async () => {
    const r = await run(
      'Mobile,Name,Plan,,Score\n13800138000,A,gold,x,\n',
      opts({ mapping: { phone: 'Mobile', firstName: 'Name', plan: 'Plan' } }),
    );
    expect(r.contacts[0]?.fields).toEqual({ firstName: 'A', plan: 'gold', Score: '' });
  });

  it('uses the default region for national numbers and keeps international ones as they are', async () => {
    const r = await run(
      'Mobile,Name\n020 7946 0958,London\n+1 212 555 0100,NYC\n',
      opts({ defaultRegion: 'GB' }),
    );
    expect(r.contacts.map((c) => [c.phone, c.region, c.timezone])).toEqual([
      ['+442079460958', 'GB', 'Europe/London'],
      ['+12125550100', 'US', null],
    ]);
  });
});
