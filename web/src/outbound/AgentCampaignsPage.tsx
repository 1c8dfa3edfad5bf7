import { useState } from 'react';
import type { CampaignListResult } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { CampaignStatusChip } from './CampaignStatusChip';
import { JoinLeaveButtons } from './JoinLeaveButtons';
import { usePolling } from './usePolling';

/** The telemarketer's campaigns (those of the queues they serve): join to get their contacts. */
export function AgentCampaignsPage() {
  const { t, label } = useI18n();
  const { data, error, reload } = useApiData<CampaignListResult>('/campaigns');
  // What this screen did since it opened; wins over what the list said when it was loaded.
  const [changed, setChanged] = useState<Record<number, boolean>>({});
  usePolling(reload, 15_000);
  const campaigns = data?.campaigns ?? [];

  return (
    <Panel
      title={t('campaigns.title')}
      testId="agent-campaigns"
      actions={
        <button type="button" className="icon-btn" title={t('common.refresh')} onClick={reload}>
          ↻
        </button>
      }
    >
      <p className="muted small">{t('campaigns.agentHint')}</p>
      <ErrorMessage error={error} />
      {data && campaigns.length === 0 ? <p className="empty">{t('campaigns.none')}</p> : null}
      {campaigns.length ? (
        <table className="table">
          <thead>
            <tr>
              <th>{t('campaigns.name')}</th>
              <th>{t('campaigns.queue')}</th>
              <th>{t('campaigns.mode')}</th>
              <th>{t('campaigns.hours')}</th>
              <th>{t('campaigns.status')}</th>
              <th>{t('campaigns.joined')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => {
              const joined = changed[c.id] ?? data?.joined?.includes(c.id);
              const joinedText =
                joined === undefined
                  ? '—'
                  : t(joined ? 'campaigns.joinedYes' : 'campaigns.joinedNo');
              return (
                <tr
                  key={c.id}
                  data-testid={`campaign-row-${c.id}`}
                  data-joined={joined === undefined ? 'unknown' : joined ? 'yes' : 'no'}
                >
                  <td>
                    <strong>{c.name}</strong>
                  </td>
                  <td>{c.queue}</td>
                  <td>{label('campaignMode', c.mode)}</td>
                  <td className="nowrap">
                    {c.hours.from}–{c.hours.to}
                    {c.hours.days ? ` ${c.hours.days}` : ''}
                    <div className="muted small">{c.timezone}</div>
                  </td>
                  <td>
                    <CampaignStatusChip status={c.status} />
                  </td>
                  <td>
                    {joined ? <span className="badge joined-badge">{joinedText}</span> : joinedText}
                  </td>
                  <td>
                    <JoinLeaveButtons
                      campaignId={c.id}
                      joined={joined}
                      onChange={(j) => setChanged((m) => ({ ...m, [c.id]: j }))}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
