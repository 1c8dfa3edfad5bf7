import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AriFencedError, isAriFenced } from '../../../src/ari/fence';
import { createAriRest } from '../../../src/ari/rest';
import { HotlineError } from '../../../src/shared/errors';
import { silentLogger } from '../../../src/shared/logger';

/** The lease epoch guard of every ARI REST request (src/ari/rest.ts `fence`). */
let server: http.Server;
let baseUrl: string;
let seen: string[];
let held: Array<() => void>;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const answer = () => res.writeHead(204).end();
    if (req.url?.includes('slow')) held.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  held = [];
});

const client = (epoch: { value: number | null }, maxInFlight = 32) =>
  createAriRest({
    baseUrl,
    user: 'hotline',
    password: 'pw',
    log: silentLogger(),
    maxInFlight,
    fence: { epoch: () => epoch.value },
  });

describe('the ARI fence', () => {
  it('sends a command issued under the current epoch', async () => {
    const rest = client({ value: 7 });
    await rest.answer('c1');
    expect(seen).toEqual(['POST /ari/channels/c1/answer']);
  });

  it('refuses every command, recordings included, while the instance does not lead', async () => {
    const rest = client({ value: null });
    const err: unknown = await rest.hangup('c1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AriFencedError);
    expect(err).toBeInstanceOf(HotlineError);
    expect(isAriFenced(err)).toBe(true);
    expect(err).toMatchObject({
      code: 'HOTLINE_NOT_LEADER',
      status: 503,
      details: { issuedEpoch: null, currentEpoch: null },
    });
    await expect(rest.fetchStoredRecording('r1', '/tmp/never-written')).rejects.toBeInstanceOf(
      AriFencedError,
    );
    await expect(rest.originate({ endpoint: 'PJSIP/1001', app: 'hotline' })).rejects.toBeInstanceOf(
      AriFencedError,
    );
    expect(seen).toEqual([]);
  });

  it('refuses a command issued under an epoch that is stale by the time it can be sent', async () => {
    const epoch = { value: 5 as number | null };
    const rest = client(epoch, 1); // one HTTP slot: the second request waits for it
    const first = rest.answer('slow');
    const second = rest.answer('c2'); // issued under epoch 5
    await new Promise((r) => setTimeout(r, 50));
    epoch.value = 6; // the lease was lost and taken again meanwhile
    held.forEach((answer) => answer());
    await first;
    await expect(second).rejects.toMatchObject({
      code: 'HOTLINE_NOT_LEADER',
      details: { issuedEpoch: 5, currentEpoch: 6 },
    });
    // The stale command never reached Asterisk; one issued under the new epoch does.
    await rest.answer('c3');
    expect(seen).toEqual(['POST /ari/channels/slow/answer', 'POST /ari/channels/c3/answer']);
  });
});
