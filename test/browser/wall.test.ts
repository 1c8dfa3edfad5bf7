/**
 * The supervisor wall in a real (headless) Chromium against the real Asterisk sandbox: a
 * supervisor logs in and lands on the live view; a carrier call waits in the queue (the only
 * agent is on a break), its wait counts up, the tile turns red when the wait passes the queue's
 * limit and a supervisor alert comes; the caller hangs up and today's figures count the abandon
 * (the service level falls below target: red again). The header fits 1440 px in English and
 * Chinese for supervisors and admins; qa sees the wall read-only with the caller masked. Last, a
 * supervisor starts a listen from the wall: their phone (1901, SIPp) rings and answers, the call
 * shows as monitored, and Stop ends it (the audio itself: test/integration/monitoring.test.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '../support/engine-fixture';
import { serviceFixture, type ServiceFixture } from '../support/service-fixture';
import { killAllSipp, placeCall, registerPhone, startPhone } from '../support/sipp-peers';
import { launchChromium, openPage, screenshot } from './chromium';

jest.setTimeout(180_000);

const CALLER = '13900001014';
let fx: ServiceFixture;
let admin: Awaited<ReturnType<ServiceFixture['agent']>>;
let supervisor: Awaited<ReturnType<ServiceFixture['agent']>>;
let qa: Awaited<ReturnType<ServiceFixture['agent']>>;
let agent: Awaited<ReturnType<ServiceFixture['agent']>>;
let browser: Browser;

beforeAll(async () => {
  fx = await serviceFixture();
  admin = await fx.agent('wall-admin', null, 'admin');
  supervisor = await fx.agent('wall-sup', '1901', 'supervisor');
  qa = await fx.agent('wall-qa', null, 'qa');
  // Logged in but on a break: callers wait for them (nobody logged in would hear the message).
  agent = await fx.agent('wall1014', '1014');
  await fx
    .http()
    .put('/api/agents/me/state')
    .set('Authorization', `Bearer ${agent.token}`)
    .send({ state: 'break', reason: 'lunch' })
    .expect(200);
  // A caller waiting over 5 s turns the tile red.
  await fx
    .http()
    .put('/api/queues/general')
    .set('Authorization', `Bearer ${admin.token}`)
    .send({ maxWaitAlertSec: 5 })
    .expect(200);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  killAllSipp();
  await fx?.close();
});

async function logIn(page: Page, username: string) {
  await page.goto(fx.url);
  await page.waitForSelector('[data-testid=login-form]');
  await page.fill('[data-testid=login-username]', username);
  await page.fill('[data-testid=login-password]', 'password-1');
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=user-badge]');
}

/** The header's content is no wider than the header (nothing pushed off the screen). */
async function headerFits(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const h = document.querySelector('.app-header') as HTMLElement;
    const right = Math.max(...Array.from(h.children).map((c) => c.getBoundingClientRect().right));
    return h.scrollWidth <= h.clientWidth && right <= window.innerWidth;
  });
}

const tile = '[data-testid=wall-tile-general]';

it('opens on login for a supervisor and follows a waiting caller to a red tile', async () => {
  const page = await openPage(browser);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await logIn(page, supervisor.username);
  await page.waitForSelector('[data-testid=wall][data-live=yes]');
  expect(page.url()).toMatch(/#\/live$/);
  expect(await page.textContent(`${tile} [data-testid=wall-waiting]`)).toBe('0');
  expect(await page.getAttribute(tile, 'data-red')).toBe('no');
  expect(await headerFits(page)).toBe(true);

  // The caller stays 9 s after the answer, waiting in the queue, then hangs up.
  const call = placeCall({ from: CALLER, to: '4000', holdMs: 9000, timeoutMs: 60_000 });
  await page.waitForSelector('[data-testid=wall-call][data-state=queued]', { timeout: 20_000 });
  expect(await page.textContent(`${tile} [data-testid=wall-waiting]`)).toBe('1');
  expect(await page.textContent('[data-testid=wall-call] [data-testid=wall-caller]')).toBe(
    `+86${CALLER}`,
  );
  // The longest wait counts up in the browser, between deltas.
  const first = await page.textContent(`${tile} [data-testid=wall-longest-wait]`);
  await page.waitForFunction(
    ([sel, before]) => document.querySelector(sel!)?.textContent !== before,
    [`${tile} [data-testid=wall-longest-wait]`, first],
  );
  // Past the queue's 5 s: the tile turns red and the supervisor is alerted.
  await page.waitForSelector(`${tile}[data-red=yes]`, { timeout: 15_000 });
  await page.waitForSelector('[data-testid=queue-alert-longest-wait]');
  await screenshot(page, '30-wall-waiting-red');

  // The caller gives up after 9 s: an abandon that counts; no call answered: 0 % < 80 %.
  expect((await call).exitCode).toBe(0);
  await page.waitForSelector('[data-testid=wall-call]', { state: 'detached', timeout: 15_000 });
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent === '1',
    `${tile} [data-testid=wall-abandoned]`,
    { timeout: 15_000 },
  );
  expect(await page.textContent(`${tile} [data-testid=wall-service-level]`)).toBe('0.0 %');
  expect(await page.textContent(`${tile} [data-testid=wall-waiting]`)).toBe('0');
  await page.waitForSelector('[data-testid=queue-alert-service-level]');
  expect(await page.getAttribute(tile, 'data-red')).toBe('yes');
  // The agent on a break, with the reason, on the wall's agents table.
  const row = page.locator(`[data-testid=wall-agent][data-agent-id="${agent.id}"]`);
  expect(await row.getAttribute('data-state')).toBe('break');
  expect(await row.textContent()).toContain('Lunch');
  await screenshot(page, '31-wall-abandoned');

  // The same in Chinese, and the header still fits.
  await page.click('[data-testid=lang-zh]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  expect(await page.textContent('[data-testid=nav-live]')).toBe('实时');
  expect(await headerFits(page)).toBe(true);
  await screenshot(page, '32-wall-zh');

  // What the browser shows is what the service says now.
  const wall = await fx
    .http()
    .get('/api/wall')
    .set('Authorization', `Bearer ${supervisor.token}`)
    .expect(200);
  const seq = await page.getAttribute('[data-testid=wall]', 'data-seq');
  expect(Number(seq)).toBeLessThanOrEqual(wall.body.seq as number);
  expect(pageErrors).toEqual([]);
  await page.context().close();
});

it("fits the admin's header at 1440 px in both languages, with the menus", async () => {
  for (const locale of ['en-US', 'zh-CN']) {
    const page = await openPage(browser, locale);
    await logIn(page, admin.username);
    // Admins land on the desktop and reach the wall from the header.
    await page.click('[data-testid=nav-live]');
    await page.waitForSelector('[data-testid=wall]');
    expect(await headerFits(page)).toBe(true);
    await page.click('[data-testid=nav-menu-admin] summary');
    await page.click('[data-testid=nav-queues]');
    await page.waitForSelector('text=general');
    expect(await headerFits(page)).toBe(true);
    await page.context().close();
  }
});

it('shows qa the wall read-only, with the caller masked', async () => {
  const page = await openPage(browser);
  await logIn(page, qa.username);
  await page.click('[data-testid=nav-live]');
  await page.waitForSelector('[data-testid=wall][data-live=yes]');
  const call = placeCall({ from: CALLER, to: '4000', holdMs: 3000, timeoutMs: 60_000 });
  await page.waitForSelector('[data-testid=wall-call]', { timeout: 20_000 });
  expect(await page.textContent('[data-testid=wall-call] [data-testid=wall-caller]')).toBe(
    '+86 139****1014',
  );
  await waitFor(async () => (await call).exitCode === 0, 30_000, 'caller done');
  await page.context().close();
});

it('a supervisor listens to a talking call from the wall: their phone rings, the call shows monitored', async () => {
  // Phones that answer: the agent's (1014) and the supervisor's own (1901).
  await registerPhone({ ext: '1014', contactPort: 16414 });
  const agentPhone = await startPhone({ ext: '1014', port: 16414, mode: 'answer', ringMs: 200 });
  await registerPhone({ ext: '1901', contactPort: 16491 });
  const supPhone = await startPhone({ ext: '1901', port: 16491, mode: 'answer', ringMs: 300 });
  await fx.setState(agent.token, 'available');
  const page = await openPage(browser);
  await logIn(page, supervisor.username);
  await page.waitForSelector('[data-testid=wall][data-live=yes]');
  const call = placeCall({ from: CALLER, to: '4000', holdMs: 20_000, timeoutMs: 60_000 });
  const row = '[data-testid=wall-call][data-state=talking]';
  await page.waitForSelector(row, { timeout: 20_000 });
  await page.click(`${row} [data-testid=wall-monitor-listen]`);
  await page.waitForSelector(`${row} [data-testid=wall-monitored][data-monitored=yes]`, {
    timeout: 15_000,
  });
  // The supervisor's own phone was rung (and answered) for it.
  await waitFor(async () => (await supPhone.invites()).length > 0, 5000, 'phone 1901 rung');
  expect(await page.isDisabled(`${row} [data-testid=wall-monitor-listen]`)).toBe(true);
  await screenshot(page, '33-wall-listening');
  // Whisper, then Stop: the call is no longer monitored.
  await page.click(`${row} [data-testid=wall-monitor-whisper]`);
  await page.waitForSelector(`${row} [data-testid=wall-monitor-whisper].primary`);
  await page.click(`${row} [data-testid=wall-monitor-stop]`);
  await page.waitForSelector(`${row} [data-testid=wall-monitored][data-monitored=no]`, {
    timeout: 15_000,
  });
  const sessions = await fx
    .http()
    .get('/api/monitor-sessions')
    .set('Authorization', `Bearer ${supervisor.token}`)
    .expect(200);
  expect(sessions.body.sessions[0]).toMatchObject({
    userId: supervisor.id,
    endReason: 'stopped',
    modes: [
      expect.objectContaining({ mode: 'listen' }),
      expect.objectContaining({ mode: 'whisper' }),
    ],
  });
  await page.context().close();
  await call;
  await agentPhone.stop();
  await supPhone.stop();
});
