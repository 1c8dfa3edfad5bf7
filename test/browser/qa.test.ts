/**
 * The QA console in a real (headless) Chromium against the real Asterisk sandbox: a carrier call
 * answered by an agent is recorded; a QA user draws a sample for today, opens the call from the
 * review queue, plays its recording, answers the scorecard, comments at a playback time and
 * submits; the agent then finds the evaluation under "My evaluations" and acknowledges it.
 */
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '../support/engine-fixture';
import { serviceFixture, type ServiceFixture } from '../support/service-fixture';
import {
  killAllSipp,
  placeCall,
  registerPhone,
  startPhone,
  type Phone,
} from '../support/sipp-peers';
import { launchChromium, openPage, screenshot } from './chromium';

jest.setTimeout(240_000);

const EXT = '1018';
const PHONE_PORT = 16418;
const CALLER = '13900001018';

type Question = {
  id: string;
  type: 'yes-no' | 'scale';
  weight: number;
  critical?: boolean;
  allowNa?: boolean;
  scaleMax?: number;
};
type Scorecard = { id: number; isDefault: boolean; sections: Array<{ questions: Question[] }> };
type User = Awaited<ReturnType<ServiceFixture['agent']>>;

let fx: ServiceFixture;
let agent: User;
let qa: User;
let phone: Phone | undefined;
let browser: Browser;

beforeAll(async () => {
  fx = await serviceFixture({
    telephony: { ringTimeoutSec: 20, wrapUpSec: 0, recordingDefault: 'always' },
  });
  agent = await fx.agent('desk1018', EXT);
  qa = await fx.agent('qa1018', null, 'qa');
  await registerPhone({ ext: EXT, contactPort: PHONE_PORT });
  phone = await startPhone({ ext: EXT, port: PHONE_PORT, mode: 'answer', ringMs: 500 });
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
  post: (path: string, body: object = {}) =>
    fx.http().post(path).set('Authorization', `Bearer ${token}`).send(body),
});

async function logIn(page: Page, username: string) {
  await page.goto(fx.url);
  await page.fill('[data-testid=login-username]', username);
  await page.fill('[data-testid=login-password]', 'password-1');
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=user-badge]');
}

/** The answers the test gives: the first non-critical yes/no question "no", the rest the best. */
function plannedAnswers(card: Scorecard) {
  const questions = card.sections.flatMap((s) => s.questions);
  const miss = questions.find((q) => q.type === 'yes-no' && !q.critical);
  const answers = questions.map((q) => ({
    q,
    value: q === miss ? 'no' : q.type === 'yes-no' ? 'yes' : (q.scaleMax ?? 5),
  }));
  // docs/api-qa.md: Σ weight × value / Σ weight × 100; yes 1, no 0, scale v → (v-1)/(max-1).
  let sum = 0;
  let weights = 0;
  for (const { q, value } of answers) {
    const v = value === 'yes' ? 1 : value === 'no' ? 0 : 1;
    sum += q.weight * v;
    weights += q.weight;
  }
  return { answers, score: (sum / weights) * 100 };
}

it('samples a recorded call, reviews it in the browser, and the agent acknowledges it', async () => {
  // A recorded call: the carrier calls the hotline, the agent's phone answers, the caller talks
  // (RTP tone) for six seconds with a short hold in the middle, then hangs up.
  const desk = await fx.browser(agent.token);
  await fx.setState(agent.token, 'available');
  const sipp = placeCall({ from: CALLER, to: '4000', holdMs: 6000, audio: true });
  const popped = await waitFor(() => desk.pops[0], 20_000, 'pop');
  const callId = popped.pop.callId;
  await waitFor(() => desk.updates.some((u) => u.state === 'answered'), 20_000, 'answered');
  await new Promise((r) => setTimeout(r, 1500));
  await api(agent.token).post(`/api/calls/${callId}/hold`).expect(204);
  await new Promise((r) => setTimeout(r, 1000));
  await api(agent.token).post(`/api/calls/${callId}/resume`).expect(204);
  expect((await sipp).exitCode).toBe(0);
  await fx.ended(qa.token, callId, 30_000);
  const recording = await waitFor(
    async () => {
      const call = (await api(qa.token).get(`/api/calls/${callId}`).expect(200)).body as {
        recordings?: Array<{ id: string; status: string; durationMs: number }>;
      };
      const rec = call.recordings?.[0];
      return rec?.status === 'stored' ? rec : null;
    },
    30_000,
    'recording stored',
  );
  expect(recording.durationMs).toBeGreaterThan(2000);

  const cards = (await api(qa.token).get('/api/qa/scorecards').expect(200)).body as {
    scorecards: Scorecard[];
  };
  const card = cards.scorecards.find((c) => c.isDefault)!;
  expect(card).toBeDefined();
  const plan = plannedAnswers(card);

  // --- the QA user: sample for today, one call per agent, reviewed by themselves.
  const page = await openPage(browser);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await logIn(page, qa.username);
  await page.click('[data-testid=nav-qa-samples]');
  const form = page.locator('[data-testid=sample-form]');
  await form.waitFor();
  await form.locator('[data-testid=sample-mode-per-agent]').click();
  await form.locator('[data-testid=sample-count]').fill('1');
  expect(await form.locator(`[data-testid=sample-reviewer-${qa.id}]`).isChecked()).toBe(true);
  await form.locator('[data-testid=sample-submit]').click();
  const result = page.locator('[data-testid=sample-result]');
  await result.locator(`[data-testid=sample-item][data-call-id="${callId}"]`).waitFor();
  const seed = await result.locator('[data-testid=sample-seed-value]').inputValue();
  expect(seed).not.toBe('');
  const sampleId = Number(await result.getAttribute('data-sample-id'));
  await page.locator('[data-testid=past-sample]').first().waitFor();
  await screenshot(page, '10-qa-sample');

  // --- the review queue → the review page.
  await page.click('[data-testid=nav-qa-queue]');
  await page.click(`[data-testid=queue-item][data-call-id="${callId}"]`);
  await page.waitForSelector(`[data-testid=review-page][data-call-id="${callId}"]`);
  await page.waitForSelector('[data-testid=recording-audio][data-ready=yes]');
  const audio = await page.evaluate(async () => {
    const el = document.querySelector<HTMLAudioElement>('[data-testid=recording-audio]')!;
    if (el.readyState < 1)
      await new Promise((resolve, reject) => {
        el.addEventListener('loadedmetadata', resolve, { once: true });
        el.addEventListener('error', () => reject(new Error('audio error')), { once: true });
      });
    await el.play();
    const playing = !el.paused;
    el.pause();
    el.currentTime = 1.2; // the comment is pinned here: "add comment at 0:01"
    await new Promise((r) => el.addEventListener('seeked', r, { once: true }));
    return { duration: el.duration, playing };
  });
  expect(audio.duration).toBeGreaterThan(2);
  expect(audio.playing).toBe(true);
  // The hold is on the timeline, at its offset into the recording.
  await page.waitForSelector('[data-testid=timeline-held] button');

  for (const { q, value } of plan.answers)
    await page.click(`[data-testid=answer-${q.id}-${value}]`);
  await page.fill('[data-testid=comment-text]', 'Good greeting, but no summary at the end.');
  expect(await page.textContent('[data-testid=comment-add]')).toContain('0:01');
  await page.click('[data-testid=comment-add]');
  await page.fill('[data-testid=evaluation-summary]', 'Friendly and clear; summarise next time.');
  const preview = Number(await page.getAttribute('[data-testid=score-preview]', 'data-score'));
  expect(preview).toBeCloseTo(plan.score, 5);
  await screenshot(page, '11-qa-review');
  await page.click('[data-testid=evaluation-submit]');
  await page.waitForSelector('[data-testid=qa-queue]');
  await page.waitForSelector(`[data-testid=queue-item][data-call-id="${callId}"]`, {
    state: 'detached',
  });

  // The service holds the evaluation with the server's score, and the sample item is done.
  const evals = (await api(qa.token).get(`/api/qa/evaluations?agentId=${agent.id}`).expect(200))
    .body as {
    evaluations: Array<{
      id: number;
      callId: string;
      score: number;
      criticalFailed: boolean;
      comments: Array<{ atMs: number; text: string }>;
      summary: string;
    }>;
  };
  const evaluation = evals.evaluations.find((e) => e.callId === callId)!;
  expect(evaluation).toBeDefined();
  expect(evaluation.score).toBeCloseTo(plan.score, 1);
  expect(evaluation.criticalFailed).toBe(false);
  expect(evaluation.comments).toEqual([
    { atMs: 1000, text: 'Good greeting, but no summary at the end.' },
  ]);
  expect(evaluation.summary).toBe('Friendly and clear; summarise next time.');
  const sample = (await api(qa.token).get(`/api/qa/samples/${sampleId}`).expect(200)).body as {
    seed: string;
    items: Array<{ callId: string; status: string; reviewerId: number }>;
  };
  expect(sample.seed).toBe(seed);
  expect(sample.items).toContainEqual(
    expect.objectContaining({ callId, status: 'done', reviewerId: qa.id }),
  );

  // Results per agent with the weekly trend.
  await page.click('[data-testid=nav-qa-results]');
  await page.waitForSelector(`[data-testid=result-row][data-agent-id="${agent.id}"]`);
  // The trend is a Chart.js canvas; its series are listed beside it with their point counts.
  await page.waitForSelector('[data-testid=trend-chart] canvas');
  await page.waitForSelector(
    `[data-testid=trend-line][data-agent-id="${agent.id}"]:not([data-points="0"])`,
    { state: 'attached' },
  );
  await screenshot(page, '12-qa-results');
  expect(pageErrors).toEqual([]);
  await page.context().close();

  // --- the agent: My evaluations → read it → acknowledge.
  const agentPage = await openPage(browser);
  await logIn(agentPage, agent.username);
  await agentPage.click('[data-testid=nav-my-evaluations]');
  await agentPage.click(`[data-testid=my-evaluation][data-evaluation-id="${evaluation.id}"]`);
  const view = agentPage.locator('[data-testid=evaluation-view]');
  await view.waitFor();
  expect(await view.textContent()).toContain('Good greeting, but no summary at the end.');
  await agentPage.click('[data-testid=respond-acknowledge]');
  await agentPage.waitForSelector('[data-testid=evaluation-response]');
  await screenshot(agentPage, '13-qa-my-evaluation');
  const after = (await api(agent.token).get(`/api/qa/evaluations/${evaluation.id}`).expect(200))
    .body as { agentResponse: string };
  expect(after.agentResponse).toBe('acknowledged');
  await agentPage.context().close();
});
