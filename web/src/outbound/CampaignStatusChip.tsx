import type { CampaignStatus } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';

/** draft / running / paused / stopped, coloured. */
export function CampaignStatusChip({ status }: { status: CampaignStatus }) {
  const { label } = useI18n();
  return (
    <span className={`state-chip campaign-status status-${status}`} data-status={status}>
      {label('campaignStatus', status)}
    </span>
  );
}
