import type { QueueItem } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { dateTime, duration, satisfaction } from '../common/format';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';

/** The reviewer's pending sample items; a row opens the review page. */
export function ReviewQueuePage(props: { onOpen: (callId: string) => void }) {
  const { t, locale } = useI18n();
  const { data, error, reload, loading } = useApiData<{ items: QueueItem[] }>('/qa/queue');
  const items = data?.items ?? [];
  return (
    <Panel
      title={t('qa.queueTitle')}
      testId="qa-queue"
      actions={
        <>
          <span className="muted small">{t('qa.pendingCount', { count: items.length })}</span>
          <button type="button" className="icon-btn" title={t('common.refresh')} onClick={reload}>
            ↻
          </button>
        </>
      }
    >
      <ErrorMessage error={error} />
      {!items.length && data && !loading ? <p className="empty">{t('qa.queueEmpty')}</p> : null}
      {items.length ? (
        <table className="table selectable">
          <thead>
            <tr>
              <th>{t('qa.started')}</th>
              <th>{t('history.agent')}</th>
              <th>{t('pop.queue')}</th>
              <th className="num">{t('calls.talk')}</th>
              <th className="num">{t('qa.recording')}</th>
              <th className="num">{t('history.satisfaction')}</th>
              <th>{t('qa.sample')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr
                key={`${i.sampleId}-${i.callId}`}
                data-testid="queue-item"
                data-call-id={i.callId}
                onClick={() => props.onOpen(i.callId)}
              >
                <td className="nowrap">{dateTime(i.startedAt, locale)}</td>
                <td>{i.agentName}</td>
                <td>{i.queue ?? '—'}</td>
                <td className="num">{i.talkMs != null ? duration(i.talkMs) : '—'}</td>
                <td className="num">
                  {i.recording?.durationMs != null ? duration(i.recording.durationMs) : '—'}
                </td>
                <td className="num">{satisfaction(i.surveyScore)}</td>
                <td className="muted">#{i.sampleId}</td>
                <td>
                  <button type="button" className="btn small primary">
                    {t('qa.review')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
