import { useMemo, useState } from 'react';
import { query } from '../api/client';
import type { AgentResult } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { DateField } from '../common/DateField';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { dayEndIso, dayStartIso, daysAgoInput, todayInput } from './dates';
import { formatScore } from './score';
import { TrendChart } from './TrendChart';

/** Scores per agent over a period, and the weekly trend of all agents or one. */
export function ResultsPage() {
  const { t } = useI18n();
  const [from, setFrom] = useState(() => daysAgoInput(83));
  const [to, setTo] = useState(todayInput);
  const [agent, setAgent] = useState('');
  const path = useMemo(
    () =>
      from && to ? `/qa/results${query({ from: dayStartIso(from), to: dayEndIso(to) })}` : null,
    [from, to],
  );
  const { data, error, reload } = useApiData<{ agents: AgentResult[] }>(path);
  const agents = data?.agents ?? [];
  const series = agents
    .filter((a) => !agent || String(a.agentId) === agent)
    .map((a) => ({
      id: a.agentId,
      name: a.agentName,
      points: a.weeks.map((w) => ({ week: w.week, value: w.averageScore })),
    }));

  return (
    <div className="stack" data-testid="qa-results">
      <Panel
        title={t('qa.resultsTitle')}
        actions={
          <div className="inline-fields">
            <DateField label={t('qa.from')} value={from} onChange={setFrom} testId="results-from" />
            <DateField label={t('qa.to')} value={to} onChange={setTo} testId="results-to" />
            <button type="button" className="icon-btn" title={t('common.refresh')} onClick={reload}>
              ↻
            </button>
          </div>
        }
      >
        <ErrorMessage error={error} />
        {agents.length === 0 && data ? <p className="empty">{t('qa.noResults')}</p> : null}
        {agents.length ? (
          <table className="table selectable">
            <thead>
              <tr>
                <th>{t('history.agent')}</th>
                <th className="num">{t('qa.evaluations')}</th>
                <th className="num">{t('qa.averageScore')}</th>
                <th className="num">{t('qa.criticalFails')}</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr
                  key={a.agentId}
                  className={agent === String(a.agentId) ? 'selected' : ''}
                  onClick={() => setAgent(agent === String(a.agentId) ? '' : String(a.agentId))}
                  data-testid="result-row"
                  data-agent-id={a.agentId}
                >
                  <td>{a.agentName}</td>
                  <td className="num">{a.evaluations}</td>
                  <td className="num" data-testid="result-average">
                    {formatScore(a.averageScore)}
                  </td>
                  <td className={`num${a.criticalFails ? ' overdue-text' : ''}`}>
                    {a.criticalFails}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Panel>
      <Panel
        title={t('qa.trendTitle')}
        actions={
          <select
            value={agent}
            onChange={(e) => setAgent(e.target.value)}
            data-testid="trend-agent"
          >
            <option value="">{t('qa.allAgents')}</option>
            {agents.map((a) => (
              <option key={a.agentId} value={a.agentId}>
                {a.agentName}
              </option>
            ))}
          </select>
        }
      >
        <TrendChart series={series} />
      </Panel>
    </div>
  );
}
