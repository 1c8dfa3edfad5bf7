import { useState } from 'react';
import { get, post } from '../api/client';
import type { SampleJob, SampleParams } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { dateTime } from '../common/format';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { SampleForm } from './SampleForm';
import { SampleResult } from './SampleResult';
import { useReviewerOptions } from './useReviewerOptions';

/** Draw a sample of recorded calls for review; see what was drawn, now and before. */
export function SamplesPage() {
  const { t, locale } = useI18n();
  const list = useApiData<{ samples: SampleJob[] }>('/qa/samples');
  const { options: reviewers } = useReviewerOptions();
  const [shown, setShown] = useState<SampleJob | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function create(params: SampleParams) {
    const job = await post<SampleJob>('/qa/samples', params);
    setShown(job);
    list.reload();
  }

  function open(id: number) {
    setError(null);
    get<SampleJob>(`/qa/samples/${id}`).then(setShown, setError);
  }

  const samples = list.data?.samples ?? [];
  return (
    <div className="two-col">
      <Panel title={t('qa.newSample')} testId="qa-samples">
        <SampleForm onSubmit={create} />
      </Panel>
      <div className="stack">
        <Panel title={shown ? t('qa.sampleTitle', { id: shown.id }) : t('qa.sampleResult')}>
          <ErrorMessage error={error} />
          {shown ? (
            <SampleResult sample={shown} reviewers={reviewers} />
          ) : (
            <p className="empty">{t('qa.sampleHint')}</p>
          )}
        </Panel>
        <Panel title={t('qa.pastSamples')} testId="qa-past-samples">
          <ErrorMessage error={list.error} />
          {samples.length === 0 && list.data ? <p className="empty">{t('qa.noSamples')}</p> : null}
          {samples.length ? (
            <table className="table selectable compact">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('qa.created')}</th>
                  <th>{t('qa.period')}</th>
                  <th>{t('qa.howMany')}</th>
                  <th>{t('qa.seed')}</th>
                </tr>
              </thead>
              <tbody>
                {samples.map((s) => (
                  <tr
                    key={s.id}
                    className={shown?.id === s.id ? 'selected' : ''}
                    onClick={() => open(s.id)}
                    data-testid="past-sample"
                  >
                    <td className="muted">{s.id}</td>
                    <td className="nowrap">{dateTime(s.createdAt, locale)}</td>
                    <td className="nowrap">
                      {dateTime(s.params.from, locale)} – {dateTime(s.params.to, locale)}
                    </td>
                    <td>
                      {s.params.perAgent != null
                        ? t('qa.perAgentValue', { n: s.params.perAgent })
                        : t('qa.percentValue', { n: s.params.percent ?? 0 })}
                    </td>
                    <td className="mono">{s.seed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </Panel>
      </div>
    </div>
  );
}
