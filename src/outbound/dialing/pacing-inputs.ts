import type { DialCampaign, DialerStore } from './dialer-types';
import { abandonRate } from '../campaigns/abandon-rate';
import { dialDecision } from './pacing';

const DAY = 86_400_000;

/**
 * The predictive decision with its inputs measured from the campaign's last 30 days of attempts:
 * answer rate (answered or abandoned = a person picked up, over all attempts), average handle
 * time of answered calls, abandon rate the US way (abandoned ÷ answered by a person).
 */
export async function decidePacing(
  store: DialerStore,
  c: DialCampaign,
  now: { freeAgents: number; inFlight: number; now: number },
) {
  const attempts = await store.recentAttempts(c.id, now.now - 30 * DAY);
  const picked = attempts.filter((a) => a.outcome === 'answered' || a.outcome === 'abandoned');
  const answered = attempts.filter((a) => a.outcome === 'answered');
  const abandon = abandonRate(
    attempts.map((a) => ({
      at: a.at,
      answeredByPerson: a.outcome === 'answered' || a.outcome === 'abandoned',
      abandoned: a.outcome === 'abandoned',
    })),
    now.now,
  );
  return dialDecision({
    freeAgents: now.freeAgents,
    agentsSoonFree: 0,
    inFlight: now.inFlight,
    answerRate: attempts.length ? picked.length / attempts.length : 0,
    samples: attempts.length,
    avgHandleSec: answered.length
      ? answered.reduce((t, a) => t + a.talkMs, 0) / answered.length / 1000
      : 120,
    avgRingSec: 15,
    abandonRate30d: abandon.rate,
    abandonCapPct: c.abandonCapPct,
    minRatio: 1,
    maxRatio: 3,
  });
}
