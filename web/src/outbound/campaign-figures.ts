import type { Campaign, CampaignStats } from '../api/types';

/** The 30-day abandon rate, a percentage like the cap (src/outbound/campaign-stats.ts). */
export const abandonPct = (stats: CampaignStats) => stats.abandonRate30d;

/** At or over the campaign's abandon cap (predictive dialing must stay under it). */
export const overAbandonCap = (c: Campaign, stats: CampaignStats) =>
  abandonPct(stats) >= c.abandonCapPct;

/** Share of the list finished (done ÷ contacts), 0..100. */
export const donePct = (stats: CampaignStats) =>
  stats.contacts > 0 ? Math.round((stats.done / stats.contacts) * 100) : 0;

export function formatPct(value: number, locale: string): string {
  return `${value.toLocaleString(locale, { maximumFractionDigits: 1 })} %`;
}
