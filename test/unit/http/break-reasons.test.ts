/**
 * Issue 9, defect 10: a break's reason is one of the configured break reasons (GET
 * /api/break-reasons), over REST and over the socket alike; no free text.
 */
import { appFixture, once, type AppFixture } from '../../support/app-fixture';
import { expectResponse } from '../../support/expect-response';

let fx: AppFixture;
beforeAll(async () => {
  fx = await appFixture();
});
afterAll(() => fx.close());

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Ack =
  { ok: true; state: { state: string; reason: string | null } } | { ok: false; error: string };

describe('break reasons (defect 10)', () => {
  it('REST: a break takes a configured reason or none; anything else is a 400 on reason', async () => {
    const agent = await fx.user('br-ann', 'agent', '1401');
    const put = (body: object) =>
      fx.http().put('/api/agents/me/state').set(auth(agent.token)).send(body);
    const codes = (
      (await fx.http().get('/api/break-reasons').set(auth(agent.token))).body as {
        reasons: Array<{ code: string }>;
      }
    ).reasons.map((r) => r.code);
    expect(codes).toContain('lunch');

    const ok = await put({ state: 'break', reason: 'lunch' });
    expectResponse(ok);
    expect(ok.body).toMatchObject({ state: 'break', reason: 'lunch' });
    for (const body of [
      { state: 'break', reason: 'gone fishing' },
      { state: 'break', reason: 'x'.repeat(64) },
      { state: 'break', reason: 'LUNCH' },
      { state: 'available', reason: 'lunch' },
      { state: 'offline', reason: 'anything' },
    ]) {
      const res = await put(body);
      expectResponse(res);
      expect([body, res.status, res.body.error?.details]).toEqual([
        body,
        400,
        [{ path: 'reason', message: expect.any(String) }],
      ]);
    }
    expect(fx.agents.get(agent.id)).toMatchObject({ state: 'break', reason: 'lunch' });
    expect((await put({ state: 'break' })).body).toMatchObject({ state: 'break', reason: null });
    expect((await put({ state: 'available', reason: null })).body).toMatchObject({
      state: 'available',
      reason: null,
    });
  });

  it('socket: the same rule; a refused reason changes nothing', async () => {
    const agent = await fx.user('br-bob', 'agent', '1402');
    const socket = fx.socket(agent.token);
    await once(socket, 'agent:state');
    const emit = (body: object) =>
      socket.timeout(3000).emitWithAck('agent:state', body) as Promise<Ack>;

    const bad = await emit({ state: 'break', reason: 'gone fishing' });
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/reason/) });
    expect(fx.agents.get(agent.id)).toMatchObject({ state: 'offline', reason: null });
    expect(await emit({ state: 'available', reason: 'lunch' })).toMatchObject({ ok: false });
    expect(await emit({ state: 'break', reason: 'training' })).toMatchObject({
      ok: true,
      state: { state: 'break', reason: 'training' },
    });
  });
});
