/**
 * Pop painted → ring, in a real browser: the agent desktop in headless Chromium against the
 * sandbox, N carrier calls one after another; for each, the web app's performance mark
 * `hotline:pop-painted:<callId>` (set when the pop card is on the screen, just before the
 * acknowledgement that lets the service ring) against the INVITE at the agent's SIPp phone.
 */
import { ensureWebBuilt } from '../scripts/web-build';
import { launchChromium, openPage } from '../test/browser/chromium';
import { waitFor } from '../test/support/engine-fixture';
import { serviceFixture } from '../test/support/service-fixture';
import {
  freePort,
  killAllSipp,
  placeCall,
  registerPhone,
  startPhone,
} from '../test/support/sipp-peers';
import { percentiles, row } from './stats';

const EXT = '1016';

export async function benchPopPainted(n: number): Promise<string[]> {
  // The desktop it opens is the built web app (a fresh checkout has none yet), as the demo's.
  ensureWebBuilt();
  const fx = await serviceFixture({ telephony: { wrapUpSec: 0, popAckWaitMs: 250 } });
  const browser = await launchChromium();
  const port = await freePort();
  const lead: number[] = [];
  try {
    const agent = await fx.agent('painted1016', EXT);
    await registerPhone({ ext: EXT, contactPort: port });
    const phone = await startPhone({ ext: EXT, port, mode: 'answer', ringMs: 100 });
    const page = await openPage(browser);
    await page.goto(fx.url);
    await page.fill('[data-testid=login-username]', agent.username);
    await page.fill('[data-testid=login-password]', 'password-1');
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=connection][data-connected=yes]');
    await page.selectOption('[data-testid=state-select]', 'available');
    for (let i = 0; i < n; i += 1) {
      await waitFor(
        () => {
          const a = fx.hotline.agents.get(agent.id);
          return a?.state === 'available' && a.activity === 'idle';
        },
        15_000,
        'agent free',
      );
      const caller = `1397700${String(i).padStart(4, '0')}`;
      const call = placeCall({ from: caller, to: '4000', holdMs: 300 });
      const card = page.locator(`[data-testid=screenpop]:has-text("+86${caller}")`);
      await card.first().waitFor({ timeout: 15_000 });
      const callId = await card.first().getAttribute('data-call-id');
      const invite = await waitFor(
        async () => (await phone.invites()).find((x) => x.fromUser === `+86${caller}`),
        15_000,
        "the phone's INVITE",
      );
      const painted = await page.evaluate((id) => {
        const mark = performance.getEntriesByName(`hotline:pop-painted:${id}`)[0];
        return mark ? performance.timeOrigin + mark.startTime : null;
      }, callId);
      if (painted !== null) lead.push(invite.at - painted);
      await call;
      // Clear the finished card so the next pop is the only one on the screen.
      await page
        .locator('[data-testid=close-card]')
        .first()
        .click({ timeout: 2000 })
        .catch(() => undefined);
    }
    await phone.stop();
  } finally {
    await browser.close();
    killAllSipp();
    await fx.close();
  }
  return [row(`${n} calls: pop painted → INVITE at the phone`, percentiles(lead))];
}
