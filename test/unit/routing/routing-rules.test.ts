import { engineFixture, waitFor } from '../../support/engine-fixture';

type Fx = Awaited<ReturnType<typeof engineFixture>>;
let fx: Fx;
beforeEach(async () => {
  fx = await engineFixture();
});
afterEach(() => fx.close());

const rung = () =>
  fx.ari
    .ops('originate')
    .map((r) => r.args[0] as { endpoint: string; channelId: string; callerId: string });
const queuedCall = (channelId: string) =>
  waitFor(() =>
    fx.engine.registry.all().find((s) => s.callerChannelId === channelId && s.state === 'queued'),
  );

describe('routing rules (engine on a fake ARI)', () => {
  it('serves a VIP caller before callers who have waited longer', async () => {
    const ann = await fx.agent('ann', '1001', 'break');
    await fx.customers.create({
      name: 'Big Client',
      tier: 'vip',
      phones: [{ e164: '+8613800000001', raw: '13800000001' }],
    });
    fx.ari.inbound('std-1', '13900000001');
    await queuedCall('std-1');
    fx.ari.inbound('std-2', '13900000002');
    await queuedCall('std-2');
    fx.ari.inbound('vip-1', '13800000001');
    const vip = await queuedCall('vip-1');
    expect(vip.priority).toBe(1);
    await fx.agents.setState(ann.id, 'available');
    const [first] = await waitFor(() => (rung().length ? rung() : null));
    expect(first!.callerId).toBe('"Big Client" <+8613800000001>');
  });

  it('waits for a busy account owner during the owner-first window, then offers the queue', async () => {
    const owner = await fx.agent('owner', '1001');
    await fx.agent('other', '1002');
    fx.queues.get('general')!.ownerFirstSec = 0.4;
    await fx.customers.create({
      name: 'Owned',
      ownerUserId: owner.id,
      phones: [{ e164: '+8613800000002', raw: '13800000002' }],
    });
    // The owner is on another call.
    fx.agents.reserve(owner.id, 'elsewhere');
    fx.agents.onCall(owner.id, 'elsewhere');
    const arrived = Date.now();
    fx.ari.inbound('c-1', '13800000002');
    await queuedCall('c-1');
    await new Promise((r) => setTimeout(r, 200));
    expect(rung()).toHaveLength(0); // still waiting for the owner
    const [offer] = await waitFor(
      () => (rung().length ? rung() : null),
      3000,
      'offer after the window',
    );
    expect(offer!.endpoint).toBe('PJSIP/1002');
    expect(Date.now() - arrived).toBeGreaterThanOrEqual(390);
  });

  it('gives the owner the call at once when the owner frees up within the window', async () => {
    const owner = await fx.agent('owner', '1001');
    await fx.agent('other', '1002');
    fx.queues.get('general')!.ownerFirstSec = 5;
    await fx.customers.create({
      name: 'Owned',
      ownerUserId: owner.id,
      phones: [{ e164: '+8613800000003', raw: '13800000003' }],
    });
    fx.agents.reserve(owner.id, 'elsewhere');
    fx.agents.onCall(owner.id, 'elsewhere');
    fx.ari.inbound('c-2', '13800000003');
    await queuedCall('c-2');
    await fx.agents.release(owner.id, 'elsewhere', true, 0);
    const [offer] = await waitFor(() => (rung().length ? rung() : null));
    expect(offer!.endpoint).toBe('PJSIP/1001');
  });

  it('does not wait for an owner who is on break', async () => {
    const owner = await fx.agent('owner', '1001', 'break');
    await fx.agent('other', '1002');
    fx.queues.get('general')!.ownerFirstSec = 30;
    await fx.customers.create({
      name: 'Owned',
      ownerUserId: owner.id,
      phones: [{ e164: '+8613800000004', raw: '13800000004' }],
    });
    fx.ari.inbound('c-3', '13800000004');
    const [offer] = await waitFor(() => (rung().length ? rung() : null));
    expect(offer!.endpoint).toBe('PJSIP/1002');
  });

  it('offers a queue that needs a skill only to agents who have it', async () => {
    const plain = await fx.agent('plain', '1001');
    const skilled = await fx.agent('skilled', '1002');
    fx.agents.get(plain.id)!.idleSince = 1; // longest idle, but lacks the skill
    fx.agents.setSkills(skilled.id, ['cantonese']);
    fx.queues.get('general')!.skills = new Set(['cantonese']);
    fx.ari.inbound('c-4', '13900000009');
    const [offer] = await waitFor(() => (rung().length ? rung() : null));
    expect(offer!.endpoint).toBe('PJSIP/1002');
  });

  it('keeps an agent in after-call work out of the rotation', async () => {
    const ann = await fx.agent('ann', '1001');
    fx.agents.reserve(ann.id, 'prev');
    fx.agents.onCall(ann.id, 'prev');
    await fx.agents.release(ann.id, 'prev', true, 300);
    expect(fx.agents.get(ann.id)!.activity).toBe('wrap-up');
    fx.ari.inbound('c-5', '13900000010');
    await queuedCall('c-5');
    await new Promise((r) => setTimeout(r, 100));
    expect(rung()).toHaveLength(0);
    await waitFor(() => (rung().length ? rung() : null), 3000, 'offered when wrap-up time is up');
  });
});
