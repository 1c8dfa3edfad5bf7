import { useState } from 'react';
import type { CampaignListResult, Queue } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { CampaignDetail } from './CampaignDetail';
import { CampaignForm } from './CampaignForm';
import { CampaignList } from './CampaignList';

/**
 * Supervisors and admins: the campaigns, one in detail (live figures, controls, imports), new
 * ones. `canJoin`: the user may also join a campaign and take its calls (supervisors).
 */
export function CampaignAdminPage({ canJoin = false }: { canJoin?: boolean }) {
  const { t } = useI18n();
  const campaigns = useApiData<CampaignListResult>('/campaigns');
  const queues = useApiData<{ queues: Queue[] }>('/queues');
  const [selected, setSelected] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const list = campaigns.data?.campaigns ?? [];

  return (
    <div className="two-col" data-testid="campaign-admin">
      <Panel
        title={t('campaigns.adminTitle')}
        actions={
          <>
            <button
              type="button"
              className="icon-btn"
              title={t('common.refresh')}
              onClick={campaigns.reload}
            >
              ↻
            </button>
            <button
              type="button"
              className="btn primary small"
              data-testid="campaign-new"
              onClick={() => setCreating(true)}
            >
              {t('campaigns.new')}
            </button>
          </>
        }
      >
        <ErrorMessage error={campaigns.error} />
        <CampaignList
          campaigns={list}
          selected={creating ? null : selected}
          onSelect={(id) => {
            setCreating(false);
            setSelected(id);
          }}
        />
      </Panel>
      <Panel title={creating ? t('campaigns.new') : t('campaigns.details')}>
        {creating ? (
          <>
            <ErrorMessage error={queues.error} />
            <CampaignForm
              queues={queues.data?.queues ?? []}
              onCancel={() => setCreating(false)}
              onCreated={(c) => {
                setCreating(false);
                setSelected(c.id);
                campaigns.reload();
              }}
            />
          </>
        ) : selected !== null ? (
          <CampaignDetail
            key={selected}
            campaignId={selected}
            canJoin={canJoin}
            joined={campaigns.data?.joined?.includes(selected)}
            onChanged={campaigns.reload}
          />
        ) : (
          <p className="empty">{t('campaigns.pick')}</p>
        )}
      </Panel>
    </div>
  );
}
