/**
 * The agent desktop in a real (headless) Chromium against the real Asterisk sandbox: log in, go
 * available, a carrier call pops the customer, the SIPp phone answers, the agent hangs up, wraps
 * up and logs a complaint from the card; the service's records hold what the agent entered.
 */
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '../support/engine-fixture';
import { serviceFixture, type ServiceFixture } from '../support/service-fixture';
import {
  freePort,
  killAllSipp,
  placeCall,
  registerPhone,
  startPhone,
  type Phone,
} from '../support/sipp-peers';
import { launchChromium, openPage, screenshot } from './chromium';

jest.setTimeout(180_000);

const EXT = '1017';
const CALLER = '13900001017';
let fx: ServiceFixture;
let admin: Awaited<ReturnType<ServiceFixture['agent']>>;
let agent: Awaited<ReturnType<ServiceFixture['agent']>>;
let phone: Phone | undefined;
let browser: Browser;

beforeAll(async () => {
  fx = await serviceFixture({
    telephony: { ringTimeoutSec: 20, wrapUpSec: 300, recordingDefault: 'always' },
  });
  admin = await fx.agent('admin', null, 'admin');
  agent = await fx.agent('desk1017', EXT);
  // Register from the port the phone will listen on (its contact), then start the phone there.
  const port = await freePort();
  await registerPhone({ ext: EXT, contactPort: port });
  phone = await startPhone({ ext: EXT, port, mode: 'answer', ringMs: 1500 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await phone?.stop();
  killAllSipp();
  await fx?.close();
});

const api = (token: string) => ({
  get: (path: string) => fx.http().get(path).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: object) =>
    fx.http().post(path).set('Authorization', `Bearer ${token}`).send(body),
});

async function logIn(page: Page, username: string, password: string) {
  await page.fill('[data-testid=login-username]', username);
  await page.fill('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=state-select]:not([disabled])');
  await page.waitForSelector('[data-testid=connection][data-connected=yes]');
}

it('switches the interface to Chinese and remembers the choice', async () => {
  const page = await openPage(browser);
  await page.goto(fx.url);
  await page.waitForSelector('[data-testid=login-submit]');
  expect(await page.textContent('[data-testid=login-submit]')).toBe('Sign in');
  await page.click('[data-testid=lang-zh]');
  expect(await page.textContent('[data-testid=login-submit]')).toBe('登录');
  await page.reload();
  await page.waitForSelector('[data-testid=login-submit]');
  expect(await page.textContent('[data-testid=login-submit]')).toBe('登录');
  await logIn(page, agent.username, 'password-1');
  expect(await page.textContent('[data-testid=nav-desktop]')).toBe('工作台');
  await screenshot(page, '05-desktop-zh');
  await page.click('[data-testid=logout]');
  await page.waitForSelector('[data-testid=login-form]');
  await page.context().close();
});

it('pops the caller, wraps up the call and logs a complaint from the card', async () => {
  const customer = await api(admin.token)
    .post('/api/customers', {
      name: 'Li Na',
      company: 'Acme Logistics',
      tier: 'vip',
      phones: [CALLER],
      notes: 'Prefers a call back after 14:00.',
    })
    .expect(201);
  const customerId = customer.body.id as number;
  await api(admin.token)
    .post('/api/complaints', {
      customerId,
      category: 'delay',
      severity: 'medium',
      description: 'Delivery of order 4471 is a week late.',
    })
    .expect(201);

  const page = await openPage(browser);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(fx.url);
  await page.waitForSelector('[data-testid=login-form]');
  await screenshot(page, '01-login');
  await logIn(page, agent.username, 'password-1');
  await page.selectOption('[data-testid=state-select]', 'available');
  await waitFor(
    () => fx.hotline.agents.get(agent.id)?.state === 'available',
    15_000,
    'agent available',
  );

  // The carrier call: SIPp waits for Asterisk's BYE, which the agent's hang-up brings.
  const call = placeCall({ from: CALLER, to: '4000', timeoutMs: 120_000 });
  const card = page.locator('[data-testid=screenpop]');
  await card.locator('[data-testid=customer-name]').waitFor({ timeout: 30_000 });
  expect(await card.locator('[data-testid=customer-name]').textContent()).toBe('Li Na');
  expect(await card.locator('[data-testid=vip-badge]').count()).toBe(1);
  const callId = await card.getAttribute('data-call-id');
  expect(callId).toBeTruthy();
  // Acknowledged once painted: the card was on the screen before the phone's INVITE arrived.
  const paintedAt = await page.evaluate((id) => {
    const mark = performance.getEntriesByName(`hotline:pop-painted:${id}`)[0];
    return mark ? performance.timeOrigin + mark.startTime : null;
  }, callId!);
  expect(paintedAt).not.toBeNull();
  const invite = await waitFor(
    async () => (await phone!.invites()).find((i) => i.fromUser === `+86${CALLER}`),
    15_000,
    "the phone's INVITE",
  );
  expect(invite.at - paintedAt!).toBeGreaterThan(0);

  // The phone answers; the card follows the call.
  await card.locator('[data-testid=call-state][data-state=answered]').waitFor({ timeout: 30_000 });
  await page.waitForSelector('[data-testid=customer-notes]:has-text("call back after 14:00")');
  expect(await card.locator('[data-testid=open-complaints]').textContent()).toContain('order 4471');
  // Recorded from the answer; the agent pauses it while the customer gives card details.
  const recStatus = card.locator('[data-testid=recording-status]');
  await card.locator('[data-testid=recording-status]:has-text("Recording")').waitFor();
  await card.locator('[data-testid=recording-pause]').click();
  await card.locator('[data-testid=recording-resume]').waitFor();
  expect(await recStatus.getAttribute('class')).toContain('rec-paused');
  await card.locator('[data-testid=recording-resume]').click();
  await card.locator('[data-testid=recording-pause]').waitFor();
  await page.waitForTimeout(2000); // a few seconds of talk on the timers
  await screenshot(page, '02-pop');

  await card.locator('[data-testid=hangup]').click();
  await card.locator('[data-testid=wrapup-panel]').waitFor({ timeout: 30_000 });
  await card.locator('[data-testid=disposition-select]').selectOption('resolved');
  await card
    .locator('[data-testid=wrapup-notes]')
    .fill('Asked about the March invoice; explained the surcharge.');
  await screenshot(page, '03-wrapup');
  await card.locator('[data-testid=wrapup-submit]').click();
  await card.locator('[data-testid=call-done]').waitFor({ timeout: 30_000 });

  // Complaint in two clicks from the card.
  await card.locator('[data-testid=complaint-button]').click();
  const form = page.locator('[data-testid=complaint-form]');
  await form.waitFor();
  await form.locator('[data-testid=complaint-category]').selectOption('billing');
  await form.locator('[data-testid=complaint-severity-high]').click();
  await form
    .locator('[data-testid=complaint-description]')
    .fill('Charged twice for the March delivery.');
  await screenshot(page, '04-complaint-form');
  await form.locator('[data-testid=complaint-submit]').click();
  await card.locator('[data-testid=card-notice]').waitFor({ timeout: 30_000 });
  await form.waitFor({ state: 'detached' });

  const sipp = await call;
  expect(sipp.exitCode).toBe(0);

  const record = await fx.ended(admin.token, callId!, 30_000);
  expect(record).toMatchObject({
    customerId,
    agentId: agent.id,
    outcome: 'answered',
    disposition: 'resolved',
    notes: 'Asked about the March invoice; explained the surcharge.',
  });
  const types = (record.timeline as Array<{ type: string }>).map((e) => e.type);
  expect(types).toEqual(
    expect.arrayContaining(['recording-started', 'recording-paused', 'recording-resumed']),
  );
  const complaints = await api(admin.token)
    .get(`/api/complaints?customerId=${customerId}`)
    .expect(200);
  expect(complaints.body.complaints).toHaveLength(2);
  expect(complaints.body.complaints).toContainEqual(
    expect.objectContaining({
      customerId,
      callId,
      category: 'billing',
      severity: 'high',
      description: 'Charged twice for the March delivery.',
      status: 'open',
    }),
  );

  // Today's list shows the call with its disposition; the agent is free again.
  await page.waitForSelector('[data-testid=my-calls] td:has-text("+8613900001017")');
  await waitFor(() => fx.hotline.agents.get(agent.id)?.activity === 'idle', 15_000, 'wrap-up over');
  expect(pageErrors).toEqual([]);
  await page.context().close();
});
