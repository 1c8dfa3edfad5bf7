import type { PopHistoryItem } from '../api/types';
import { dateTime, satisfaction } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';

/** The caller's last calls: when, outcome, who took it, disposition, notes, the caller's score. */
export function CallHistoryList({ history }: { history: PopHistoryItem[] }) {
  const { t, label, locale } = useI18n();
  if (history.length === 0) return <p className="empty">{t('pop.noHistory')}</p>;
  return (
    <table className="table compact" data-testid="call-history">
      <thead>
        <tr>
          <th>{t('history.date')}</th>
          <th>{t('history.outcome')}</th>
          <th>{t('history.agent')}</th>
          <th>{t('history.disposition')}</th>
          <th>{t('history.notes')}</th>
          <th className="num">{t('history.satisfaction')}</th>
        </tr>
      </thead>
      <tbody>
        {history.map((h) => (
          <tr key={h.callId}>
            <td className="nowrap">
              <span className={`dir dir-${h.direction}`} title={label('direction', h.direction)}>
                {h.direction === 'inbound' ? '↙' : '↗'}
              </span>{' '}
              {dateTime(h.startedAt, locale)}
            </td>
            <td>
              <span className={`outcome outcome-${h.outcome ?? 'none'}`}>
                {label('outcome', h.outcome)}
              </span>
            </td>
            <td className="nowrap">{h.agentName ?? '—'}</td>
            <td>{label('disposition', h.disposition)}</td>
            <td>
              <div className="notes-cell" title={h.notes ?? ''}>
                {h.notes ?? ''}
              </div>
            </td>
            <td className="num nowrap" data-testid="history-satisfaction">
              {satisfaction(h.surveyScore)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
