import { useState } from 'react';
import type { Evaluation, Scorecard } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { dateTime } from '../common/format';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { EvaluationView } from './EvaluationView';
import { RespondForm } from './RespondForm';
import { formatScore } from './score';

/** The agent's own evaluations; open one to read it and acknowledge or dispute it. */
export function MyEvaluationsPage() {
  const { t, locale } = useI18n();
  const list = useApiData<{ evaluations: Evaluation[] }>('/qa/evaluations');
  // Question texts from the scorecard (ids are shown if it cannot be read).
  const cards = useApiData<{ scorecards: Scorecard[] }>('/qa/scorecards');
  const [openId, setOpenId] = useState<number | null>(null);
  const evaluations = [...(list.data?.evaluations ?? [])].sort((a, b) =>
    b.submittedAt.localeCompare(a.submittedAt),
  );
  const open = evaluations.find((e) => e.id === openId) ?? null;
  const scorecard = open
    ? (cards.data?.scorecards.find((s) => s.id === open.scorecardId) ?? null)
    : null;

  return (
    <div className="two-col">
      <Panel
        title={t('qa.myEvaluations')}
        testId="my-evaluations"
        actions={
          <button
            type="button"
            className="icon-btn"
            title={t('common.refresh')}
            onClick={list.reload}
          >
            ↻
          </button>
        }
      >
        <ErrorMessage error={list.error} />
        {evaluations.length === 0 && list.data ? (
          <p className="empty">{t('qa.noEvaluations')}</p>
        ) : null}
        {evaluations.length ? (
          <table className="table selectable">
            <thead>
              <tr>
                <th>{t('qa.submitted')}</th>
                <th>{t('qa.reviewer')}</th>
                <th className="num">{t('qa.score')}</th>
                <th>{t('qa.response')}</th>
              </tr>
            </thead>
            <tbody>
              {evaluations.map((e) => (
                <tr
                  key={e.id}
                  className={openId === e.id ? 'selected' : ''}
                  onClick={() => setOpenId(e.id)}
                  data-testid="my-evaluation"
                  data-evaluation-id={e.id}
                >
                  <td className="nowrap">{dateTime(e.submittedAt, locale)}</td>
                  <td>{e.reviewerName}</td>
                  <td className={`num${e.criticalFailed ? ' overdue-text' : ''}`}>
                    {formatScore(e.score)}
                  </td>
                  <td>
                    <span className={`item-status response-${e.agentResponse ?? 'none'}`}>
                      {t(
                        e.agentResponse === 'acknowledged'
                          ? 'qa.acknowledged'
                          : e.agentResponse === 'disputed'
                            ? 'qa.disputed'
                            : 'qa.awaitingResponse',
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Panel>
      <Panel title={open ? t('qa.evaluationTitle', { id: open.id }) : t('qa.evaluation')}>
        {open ? (
          <>
            <EvaluationView key={open.id} evaluation={open} scorecard={scorecard} />
            <RespondForm evaluation={open} onDone={list.reload} />
          </>
        ) : (
          <p className="empty">{t('qa.pickEvaluation')}</p>
        )}
      </Panel>
    </div>
  );
}
