import type { Campaign, CampaignStats } from '../api/types';
import type { MsgKey } from '../i18n/en';
import { useI18n } from '../i18n/I18nProvider';
import { abandonPct, donePct, formatPct, overAbandonCap } from './campaign-figures';

const COUNTS: Array<{ key: keyof CampaignStats; msg: MsgKey }> = [
  { key: 'contacts', msg: 'campaignStats.contacts' },
  { key: 'dialed', msg: 'campaignStats.dialed' },
  { key: 'contacted', msg: 'campaignStats.contacted' },
  { key: 'remaining', msg: 'campaignStats.remaining' },
  { key: 'done', msg: 'campaignStats.done' },
];

/** A campaign's progress, abandon rate against its cap, pacing and agents online. */
export function CampaignStatsView({
  campaign,
  stats,
}: {
  campaign: Campaign;
  stats: CampaignStats;
}) {
  const { t, locale } = useI18n();
  const over = overAbandonCap(campaign, stats);
  const progress = donePct(stats);
  return (
    <div className="campaign-stats" data-testid="campaign-stats">
      <div className="progress" title={t('campaignStats.progress', { pct: progress })}>
        <div className="progress-bar" style={{ width: `${progress}%` }} />
      </div>
      <dl className="stat-grid">
        {COUNTS.map(({ key, msg }) => (
          <div key={key} className="stat" data-testid={`stat-${key}`} data-value={stats[key]}>
            <dt>{t(msg)}</dt>
            <dd>{stats[key].toLocaleString(locale)}</dd>
          </div>
        ))}
        <div
          className={`stat${over ? ' stat-bad' : ''}`}
          data-testid="stat-abandon"
          data-over-cap={over ? 'yes' : 'no'}
        >
          <dt>{t('campaignStats.abandon')}</dt>
          <dd>
            {formatPct(abandonPct(stats), locale)}
            <span className="muted small">
              {' '}
              {t('campaignStats.cap', { cap: formatPct(campaign.abandonCapPct, locale) })}
            </span>
          </dd>
        </div>
        <div className="stat" data-testid="stat-pacing">
          <dt>{t('campaignStats.pacing')}</dt>
          <dd>
            {stats.pacingRatio.toLocaleString(locale, { maximumFractionDigits: 2 })}
            <span className="muted small"> {t('campaignStats.pacingUnit')}</span>
          </dd>
        </div>
        <div className="stat" data-testid="stat-agents" data-value={stats.agentsOnline}>
          <dt>{t('campaignStats.agentsOnline')}</dt>
          <dd>{stats.agentsOnline}</dd>
        </div>
      </dl>
    </div>
  );
}
