import { registerPhone, startPhone, killAllSipp, type Phone } from './sipp-peers';
import { serviceFixture, type ServiceFixture } from './service-fixture';
import { waitFor } from './engine-fixture';

export type TeamAgent = Awaited<ReturnType<ServiceFixture['agent']>> & {
  browser: Awaited<ReturnType<ServiceFixture['browser']>>;
};

/**
 * The service against the sandbox with one agent per extension: each with a registered SIPp phone
 * that answers, and a browser (socket.io client) recording pops and call updates; plus an admin.
 */
export async function teamFixture(o: {
  ports: Record<string, number>;
  telephony?: Record<string, unknown>;
  ari?: Record<string, unknown>;
}) {
  const fx = await serviceFixture({
    telephony: { ringTimeoutSec: 5, wrapUpSec: 0, ...o.telephony },
    ari: o.ari,
  });
  const admin = await fx.agent('admin', null, 'admin');
  const phones = new Map<string, Phone>();
  const team: Record<string, TeamAgent> = {};
  for (const [ext, port] of Object.entries(o.ports)) {
    await registerPhone({ ext, contactPort: port });
    phones.set(ext, await startPhone({ ext, port, mode: 'answer', ringMs: 200 }));
    const a = await fx.agent(`agent${ext}`, ext);
    team[ext] = { ...a, browser: await fx.browser(a.token) };
  }
  return {
    fx,
    admin,
    phones,
    team,
    post: (path: string, token: string, body?: object) =>
      fx
        .http()
        .post(path)
        .set('Authorization', `Bearer ${token}`)
        .send(body ?? {}),
    /** Between tests: no live call, every agent offline, their screens cleared. */
    async reset() {
      await waitFor(() => fx.hotline.engine.registry.size === 0, 20_000, 'previous calls ended');
      for (const a of Object.values(team)) {
        await fx.hotline.agents.setState(a.id, 'offline');
        a.browser.pops.length = 0;
        a.browser.updates.length = 0;
      }
    },
    async close() {
      for (const p of phones.values()) await p.stop();
      killAllSipp();
      await fx.close();
    },
  };
}

export type TeamFixture = Awaited<ReturnType<typeof teamFixture>>;
