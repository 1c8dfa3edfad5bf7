import { useCallback, useState } from 'react';
import type { Campaign } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { CampaignControls } from './CampaignControls';
import { CampaignStatsView } from './CampaignStatsView';
import { CampaignStatusChip } from './CampaignStatusChip';
import { ImportForm } from './ImportForm';
import { ImportProgress } from './ImportProgress';
import { JoinLeaveButtons } from './JoinLeaveButtons';
import { usePolling } from './usePolling';

/** One campaign for its supervisor: live figures (every 5 s), controls, settings, list imports. */
export function CampaignDetail(props: {
  campaignId: number;
  /** Offer Join / Leave (a supervisor who takes calls too). */
  canJoin: boolean;
  /** Whether the user has joined it, as the campaign list said (undefined: not known). */
  joined: boolean | undefined;
  onChanged: () => void;
}) {
  const { t, label } = useI18n();
  const { campaignId, onChanged } = props;
  const { data, error, reload, setData } = useApiData<Campaign>(`/campaigns/${campaignId}`);
  const [importId, setImportId] = useState<number | null>(null);
  const [joined, setJoined] = useState<boolean | undefined>(undefined);
  usePolling(reload, 5000);
  const imported = useCallback(() => {
    reload();
    onChanged();
  }, [reload, onChanged]);

  if (!data)
    return error ? <ErrorMessage error={error} /> : <p className="muted">{t('common.loading')}</p>;
  const c = data;
  return (
    <div className="campaign-detail stack" data-testid="campaign-detail" data-campaign-id={c.id}>
      <header className="campaign-detail-head">
        <h2>{c.name}</h2>
        <CampaignStatusChip status={c.status} />
        {props.canJoin ? (
          <JoinLeaveButtons
            campaignId={c.id}
            joined={joined ?? props.joined}
            onChange={(j) => {
              setJoined(j);
              onChanged();
            }}
          />
        ) : null}
      </header>
      <ErrorMessage error={error} testId="campaign-refresh-error" />
      <CampaignControls
        campaign={c}
        onChanged={(updated) => {
          setData((old) => ({ ...updated, stats: updated.stats ?? old?.stats }));
          onChanged();
          reload();
        }}
      />
      {c.stats ? (
        <CampaignStatsView campaign={c} stats={c.stats} />
      ) : (
        <p className="muted">{t('common.loading')}</p>
      )}
      <dl className="qa-facts">
        <div>
          <dt>{t('campaigns.queue')}</dt>
          <dd>{c.queue}</dd>
        </div>
        <div>
          <dt>{t('campaigns.mode')}</dt>
          <dd>{label('campaignMode', c.mode)}</dd>
        </div>
        <div>
          <dt>{t('campaigns.hours')}</dt>
          <dd>
            {c.hours.from}–{c.hours.to}
            {c.hours.days ? ` ${c.hours.days}` : ''} ({c.timezone})
          </dd>
        </div>
        <div>
          <dt>{t('campaigns.maxAttempts')}</dt>
          <dd>{c.maxAttempts}</dd>
        </div>
        <div>
          <dt>{t('campaigns.callerId')}</dt>
          <dd>{c.callerId}</dd>
        </div>
      </dl>
      {c.script ? (
        <details>
          <summary>{t('campaigns.script')}</summary>
          <div className="campaign-script">{c.script}</div>
        </details>
      ) : null}
      <section>
        <h3>{t('import.title')}</h3>
        <ImportForm campaignId={c.id} onStarted={setImportId} />
        {importId !== null ? (
          <ImportProgress key={importId} importId={importId} onFinished={imported} />
        ) : null}
      </section>
    </div>
  );
}
