import type { Campaign } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { CampaignStatusChip } from './CampaignStatusChip';

/** Every campaign; a click opens it. */
export function CampaignList(props: {
  campaigns: Campaign[];
  selected: number | null;
  onSelect: (id: number) => void;
}) {
  const { t, label } = useI18n();
  if (props.campaigns.length === 0) return <p className="empty">{t('campaigns.noneYet')}</p>;
  return (
    <table className="table selectable" data-testid="campaign-list">
      <thead>
        <tr>
          <th>{t('campaigns.name')}</th>
          <th>{t('campaigns.queue')}</th>
          <th>{t('campaigns.mode')}</th>
          <th>{t('campaigns.status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.campaigns.map((c) => (
          <tr
            key={c.id}
            className={props.selected === c.id ? 'selected' : ''}
            data-testid={`campaign-item-${c.id}`}
            onClick={() => props.onSelect(c.id)}
          >
            <td>
              <strong>{c.name}</strong>
            </td>
            <td>{c.queue}</td>
            <td>{label('campaignMode', c.mode)}</td>
            <td>
              <CampaignStatusChip status={c.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
