import { useEffect, useMemo } from 'react';
import { query } from '../api/client';
import type { CallRecord } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { duration, startOfToday, time } from '../common/format';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { useLive } from '../live/LiveProvider';

/** The agent's calls since midnight, refreshed when a call ends or is wrapped up. */
export function MyCallsToday() {
  const { t, label, locale } = useI18n();
  const { callsVersion } = useLive();
  // Recomputed with every change, so that a desktop left open overnight starts a new day.
  const path = useMemo(
    () => `/calls${query({ mine: 1, from: startOfToday(), limit: 200 })}`,
    [callsVersion],
  );
  const { data, error, reload } = useApiData<{ calls: CallRecord[] }>(path);
  useEffect(() => {
    if (callsVersion > 0) reload();
  }, [callsVersion, reload]);
  const calls = data?.calls ?? [];
  const talk = calls.reduce((sum, c) => sum + c.talkMs, 0);

  return (
    <Panel
      title={t('calls.today')}
      testId="my-calls"
      actions={
        <>
          <span className="muted small">
            {t('calls.summary', { count: calls.length, talk: duration(talk) })}
          </span>
          <button type="button" className="icon-btn" title={t('common.refresh')} onClick={reload}>
            ↻
          </button>
        </>
      }
    >
      <ErrorMessage error={error} />
      {calls.length === 0 && !error ? <p className="empty">{t('calls.none')}</p> : null}
      {calls.length ? (
        <table className="table compact">
          <thead>
            <tr>
              <th>{t('calls.time')}</th>
              <th>{t('calls.caller')}</th>
              <th>{t('calls.outcome')}</th>
              <th className="num">{t('calls.talk')}</th>
              <th>{t('calls.disposition')}</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((c) => (
              <tr key={c.id} title={c.notes ?? ''}>
                <td className="nowrap">{time(c.startedAt, locale)}</td>
                <td className="nowrap">{c.callerNumber}</td>
                <td>
                  <span className={`outcome outcome-${c.outcome ?? 'none'}`}>
                    {label('outcome', c.outcome ?? 'live')}
                  </span>
                </td>
                <td className="num">{duration(c.talkMs)}</td>
                <td>
                  {c.disposition ? (
                    label('disposition', c.disposition)
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
