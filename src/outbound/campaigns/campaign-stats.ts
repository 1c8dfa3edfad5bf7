import type { CampaignStats as ApiCampaignStats } from '../../api/campaigns';
import type { Db } from '../../db/index';
import { num } from '../../db/index';

/** GET /api/campaigns/:id's `stats`. */
/** GET /api/campaigns/:id's `stats` (src/api/campaigns.ts). */
export type CampaignStats = ApiCampaignStats;

const DAY = 86_400_000;
type Counted = Array<Record<string, number | string | null>>;

async function count(q: Promise<Counted>): Promise<number> {
  const [row] = await q;
  return row ? num(Object.values(row)[0]) : 0;
}

/**
 * The counts behind a campaign's stats. The abandon window is the same as `abandonRate`'s:
 * `now - 30 days < at <= now`.
 */
export async function campaignStats(
  db: Db,
  campaignId: number,
  now: number,
  pacingRatio: number,
): Promise<CampaignStats> {
  const contacts = () => db('campaign_contacts').where({ campaign_id: campaignId });
  const [total, dialed, remaining, done, contacted, agentsOnline] = await Promise.all([
    count(contacts().count({ n: '*' })),
    count(contacts().where('attempts', '>', 0).count({ n: '*' })),
    count(contacts().whereIn('status', ['new', 'scheduled', 'in-progress']).count({ n: '*' })),
    count(contacts().whereIn('status', ['done', 'dnc']).count({ n: '*' })),
    count(
      db('outbound_attempts')
        .where({ campaign_id: campaignId, outcome: 'answered' })
        .countDistinct({ n: 'contact_id' }),
    ),
    count(db('campaign_agents').where({ campaign_id: campaignId }).count({ n: '*' })),
  ]);
  const outcomes = await db('outbound_attempts')
    .where({ campaign_id: campaignId })
    .whereIn('outcome', ['answered', 'abandoned'])
    .where('at', '>', now - 30 * DAY)
    .where('at', '<=', now)
    .groupBy('outcome')
    .select<Array<{ outcome: string; n: number | string }>>('outcome', db.raw('count(*) as n'));
  const of = (o: string) => num(outcomes.find((r) => r.outcome === o)?.n ?? 0);
  const answered = of('answered') + of('abandoned');
  const abandonRate30d = answered ? Math.round((of('abandoned') / answered) * 10_000) / 100 : 0;
  return {
    contacts: total,
    dialed,
    contacted,
    remaining,
    done,
    abandonRate30d,
    pacingRatio,
    agentsOnline,
  };
}
