import { useEffect, useState } from 'react';
import { Bar, Line } from 'react-chartjs-2';
import type {
  AgentReport,
  ComplaintReport,
  InboundReport,
  OutboundReport,
  Review,
} from '../../../src/api/reports';
import { getBlob, query } from '../api/client';
import type { SessionUser } from '../api/types';
import { DateField } from '../common/DateField';
import { ErrorMessage } from '../common/ErrorMessage';
import { duration } from '../common/format';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { daysAgoInput, shiftDay, todayInZone, todayInput } from '../qa/dates';
import { COLORS } from './chart-setup';

type Granularity = 'day' | 'week' | 'month';
/** The hours of a day as the hourly report names them (a day the clocks change shows 24 too). */
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v} %`);
const dur = (v: number | null | undefined) => (v === null || v === undefined ? '—' : duration(v));
const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(v));

/** Downloads an API CSV with the session's token (a plain link would carry none). */
async function download(path: string, filename: string) {
  const blob = await getBlob(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Reports (issue 11): the call center's figures for a range of days, with charts (Chart.js)
 * and CSV downloads; the definitions are docs/metrics.md. An agent sees their own figures (the
 * service narrows every report to them).
 */
export function ReportsPage({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const manager = user.role !== 'agent';
  const [from, setFrom] = useState(daysAgoInput(6));
  const [to, setTo] = useState(todayInput());
  const [granularity, setGranularity] = useState<Granularity>('day');
  const [queue, setQueue] = useState('');
  const range = { from, to, queue: queue || undefined };
  const total = { ...range, granularity: 'total' };
  const trend = useApiData<InboundReport>(
    `/reports/inbound${query({ ...range, granularity, by: 'total' })}`,
  );
  const hourly = useApiData<InboundReport>(
    `/reports/inbound${query({ ...range, from: to, granularity: 'hour', by: 'total' })}`,
  );
  const queues = useApiData<InboundReport>(`/reports/inbound${query({ ...total, by: 'queue' })}`);
  // Report days are the call center's (telephony.timezone): until someone picks dates, the
  // range ends on the center's today, which is not the browser's for part of the day when
  // the two zones differ.
  const [datesPicked, setDatesPicked] = useState(false);
  const centerZone = queues.data?.timezone;
  useEffect(() => {
    if (datesPicked || !centerZone) return;
    const today = todayInZone(centerZone);
    if (today === to) return;
    setTo(today);
    setFrom(shiftDay(today, -6));
  }, [centerZone, datesPicked, to]);
  const pickDates = (f: string, tt: string) => {
    setDatesPicked(true);
    setFrom(f);
    setTo(tt);
  };
  const agents = useApiData<AgentReport>(`/reports/agents${query(total)}`);
  const complaints = useApiData<ComplaintReport>(
    `/reports/complaints${query({ from, to, granularity: 'total' })}`,
  );
  const outbound = useApiData<OutboundReport>(
    manager ? `/reports/outbound${query({ from, to, granularity: 'total' })}` : null,
  );
  const daily = useApiData<{ reports: Array<{ day: string; createdAt: string }> }>(
    manager ? '/reports/daily' : null,
  );
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const csv = (name: string, params: Record<string, string | undefined>) => () => {
    download(`/reports/${name}/csv${query(params)}`, `${name}-${from}-${to}.csv`).catch(
      setDownloadError,
    );
  };

  const periods = trend.data?.rows ?? [];
  const hours = hourly.data?.rows ?? [];
  const sat = queues.data?.total.satisfactionScores ?? [0, 0, 0, 0, 0];
  const agentRows = agents.data?.rows ?? [];
  const error =
    trend.error ?? hourly.error ?? queues.error ?? agents.error ?? complaints.error ?? null;

  return (
    <div className="reports-page" data-testid="reports-page">
      <div className="reports-filters">
        <DateField
          label={t('reports.from')}
          value={from}
          onChange={(v) => pickDates(v, to)}
          testId="reports-from"
        />
        <DateField
          label={t('reports.to')}
          value={to}
          onChange={(v) => pickDates(from, v)}
          testId="reports-to"
        />
        <label>
          {t('reports.granularity')}
          <select
            value={granularity}
            onChange={(e) => setGranularity(e.target.value as Granularity)}
            data-testid="reports-granularity"
          >
            <option value="day">{t('reports.byDay')}</option>
            <option value="week">{t('reports.byWeek')}</option>
            <option value="month">{t('reports.byMonth')}</option>
          </select>
        </label>
        <label>
          {t('reports.queue')}
          <select value={queue} onChange={(e) => setQueue(e.target.value)}>
            <option value="">{t('reports.allQueues')}</option>
            {(queues.data?.rows ?? []).map((r) => (
              <option key={r.key} value={r.key}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={csv('inbound', { ...range, granularity, by: 'queue' })}>
          {t('reports.csvInbound')}
        </button>
        <button type="button" onClick={csv('agents', { ...range, granularity })}>
          {t('reports.csvAgents')}
        </button>
        <button type="button" onClick={csv('calls', range)} data-testid="reports-csv-calls">
          {t('reports.csvCalls')}
        </button>
      </div>
      <ErrorMessage error={error ?? downloadError} />

      <div className="reports-grid">
        <Panel title={t('reports.slByHour', { day: to })} testId="chart-sl-hour">
          <div className="chart-box">
            <Line
              data={{
                labels: HOURS,
                datasets: [
                  {
                    label: t('reports.serviceLevel'),
                    data: HOURS.map(
                      (h) => hours.find((x) => x.period.slice(11) === h)?.serviceLevelPct ?? null,
                    ),
                    borderColor: COLORS[0],
                    backgroundColor: COLORS[0],
                    spanGaps: true,
                  },
                ],
              }}
              options={{ scales: { y: { min: 0, max: 100 } } }}
            />
          </div>
        </Panel>
        <Panel title={t('reports.offeredAnswered')} testId="chart-offered">
          <div className="chart-box">
            <Bar
              data={{
                labels: periods.map((p) => p.period),
                datasets: [
                  {
                    label: t('reports.offered'),
                    data: periods.map((p) => p.offered),
                    backgroundColor: COLORS[0],
                  },
                  {
                    label: t('reports.answered'),
                    data: periods.map((p) => p.answered),
                    backgroundColor: COLORS[1],
                  },
                  {
                    label: t('reports.abandoned'),
                    data: periods.map((p) => p.abandoned - p.abandonedShort),
                    backgroundColor: COLORS[2],
                  },
                ],
              }}
            />
          </div>
        </Panel>
        <Panel title={t('reports.ahtTrend')} testId="chart-aht">
          <div className="chart-box">
            <Line
              data={{
                labels: periods.map((p) => p.period),
                datasets: [
                  {
                    label: t('reports.ahtSec'),
                    data: periods.map((p) => (p.ahtMs === null ? null : p.ahtMs / 1000)),
                    borderColor: COLORS[3],
                    backgroundColor: COLORS[3],
                    spanGaps: true,
                  },
                  {
                    label: t('reports.asaSec'),
                    data: periods.map((p) => (p.asaMs === null ? null : p.asaMs / 1000)),
                    borderColor: COLORS[5],
                    backgroundColor: COLORS[5],
                    spanGaps: true,
                  },
                ],
              }}
              options={{ scales: { y: { min: 0 } } }}
            />
          </div>
        </Panel>
        <Panel title={t('reports.satisfaction')} testId="chart-satisfaction">
          <div className="chart-box">
            <Bar
              data={{
                labels: ['1', '2', '3', '4', '5'],
                datasets: [
                  {
                    label: t('reports.responses'),
                    data: sat,
                    backgroundColor: [COLORS[2], COLORS[3], COLORS[5], COLORS[0], COLORS[1]],
                  },
                ],
              }}
              options={{ plugins: { legend: { display: false } } }}
            />
          </div>
        </Panel>
        <Panel title={t('reports.perAgent')} testId="chart-agents" className="span-2">
          <div className="chart-box">
            <Bar
              data={{
                labels: agentRows.map((a) => a.name),
                datasets: [
                  {
                    label: t('reports.handled'),
                    data: agentRows.map((a) => a.handled),
                    backgroundColor: COLORS[0],
                    yAxisID: 'y',
                  },
                  {
                    label: t('reports.occupancy'),
                    data: agentRows.map((a) => a.occupancyPct),
                    backgroundColor: COLORS[4],
                    yAxisID: 'y1',
                  },
                ],
              }}
              options={{
                scales: {
                  y: { min: 0, position: 'left' },
                  y1: { min: 0, max: 100, position: 'right', grid: { drawOnChartArea: false } },
                },
              }}
            />
          </div>
        </Panel>
      </div>

      <Panel title={t('reports.queues')} testId="report-queues">
        <table className="report-table">
          <thead>
            <tr>
              <th>{t('reports.queue')}</th>
              <th>{t('reports.offered')}</th>
              <th>{t('reports.answered')}</th>
              <th>{t('reports.abandoned')}</th>
              <th>{t('reports.shortAbandons')}</th>
              <th>{t('reports.serviceLevel')}</th>
              <th>ASA</th>
              <th>AHT</th>
              <th>{t('reports.avgHold')}</th>
              <th>{t('reports.longestWait')}</th>
              <th>{t('reports.transfers')}</th>
              <th>{t('reports.callbacks')}</th>
              <th>{t('reports.noAgentClosed')}</th>
            </tr>
          </thead>
          <tbody>
            {(queues.data?.rows ?? []).map((r) => (
              <tr key={r.key} data-testid="report-queue-row" data-queue={r.key}>
                <td>{r.name}</td>
                <td>{r.offered}</td>
                <td>{r.answered}</td>
                <td>{r.abandoned}</td>
                <td>{r.abandonedShort}</td>
                <td data-testid="report-queue-sl">{pct(r.serviceLevelPct)}</td>
                <td>{dur(r.asaMs)}</td>
                <td>{dur(r.ahtMs)}</td>
                <td>{dur(r.avgHoldMs)}</td>
                <td>{dur(r.longestWaitMs)}</td>
                <td>{r.transfersOut}</td>
                <td>
                  {r.callbacksOffered} / {r.callbacksRequested} / {r.callbacksReached}
                </td>
                <td>
                  {r.noAgent} / {r.closed}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>

      <Panel title={t('reports.agents')} testId="report-agents">
        <table className="report-table">
          <thead>
            <tr>
              <th>{t('reports.agent')}</th>
              <th>{t('reports.loggedIn')}</th>
              <th>{t('reports.handled')}</th>
              <th>AHT</th>
              <th>{t('reports.occupancy')}</th>
              <th>{t('reports.callsPerHour')}</th>
              <th>{t('reports.satisfaction')}</th>
              <th>{t('reports.qaScore')}</th>
              <th>{t('reports.criticalFails')}</th>
              <th>{t('reports.missedOffers')}</th>
            </tr>
          </thead>
          <tbody>
            {agentRows.map((a) => (
              <tr key={a.agentId} data-testid="report-agent-row" data-agent-id={a.agentId}>
                <td>{a.name}</td>
                <td>{dur(a.loggedInMs)}</td>
                <td>{a.handled}</td>
                <td>{dur(a.ahtMs)}</td>
                <td>{pct(a.occupancyPct)}</td>
                <td>{num(a.callsPerHour)}</td>
                <td>
                  {num(a.satisfactionAverage)} ({pct(a.surveyResponseRatePct)})
                </td>
                <td>{num(a.qaAverageScore)}</td>
                <td>{a.qaCriticalFails}</td>
                <td>{a.missedOffers}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>

      <Panel title={t('reports.complaints')} testId="report-complaints">
        <p>
          {t('reports.followUpRate', {
            days: complaints.data?.followUpDays ?? 3,
            rate: pct(complaints.data?.total.followUpRatePct),
            done: complaints.data?.total.followedUpInTime ?? 0,
            due: complaints.data?.total.due ?? 0,
          })}
        </p>
        <table className="report-table">
          <tbody>
            {(complaints.data?.rows[0]?.byCategory ?? []).map((c) => (
              <tr key={`${c.category}-${c.severity}`}>
                <td>{c.category}</td>
                <td>{c.severity}</td>
                <td>{c.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {complaints.data?.overdue.length ? (
          <>
            <h3>{t('reports.overdue')}</h3>
            <table className="report-table" data-testid="report-overdue">
              <tbody>
                {complaints.data.overdue.map((o) => (
                  <tr key={o.taskId}>
                    <td>{o.customerName ?? `#${o.customerId ?? ''}`}</td>
                    <td>{o.category}</td>
                    <td>{o.severity}</td>
                    <td>{o.dueAt.slice(0, 16).replace('T', ' ')}</td>
                    <td>{o.ownerName ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </Panel>

      {manager ? (
        <Panel title={t('reports.outbound')} testId="report-outbound">
          <table className="report-table">
            <thead>
              <tr>
                <th>{t('reports.campaign')}</th>
                <th>{t('reports.dialed')}</th>
                <th>{t('reports.reached')}</th>
                <th>{t('reports.conversion')}</th>
                <th>{t('reports.abandon30d')}</th>
              </tr>
            </thead>
            <tbody>
              {(outbound.data?.rows ?? []).map((o) => {
                const a = outbound.data?.abandon30d.find((x) => x.campaignId === o.campaignId);
                return (
                  <tr key={o.campaignId}>
                    <td>{o.name}</td>
                    <td>{o.dialed}</td>
                    <td>{o.contactsReached}</td>
                    <td>{pct(o.conversionPct)}</td>
                    <td className={a?.overCap ? 'bad' : ''}>
                      {a ? `${a.ratePct} % / ${a.capPct} %` : '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Panel>
      ) : null}

      {manager ? (
        <Panel title={t('reports.daily')} testId="report-daily">
          {(daily.data?.reports ?? []).length === 0 ? (
            <p className="empty">{t('reports.noDaily')}</p>
          ) : (
            <ul>
              {(daily.data?.reports ?? []).map((d) => (
                <li key={d.day} data-testid="report-daily-item">
                  {d.day}{' '}
                  <button
                    type="button"
                    onClick={() =>
                      void download(`/reports/daily/${d.day}/csv`, `daily-${d.day}.csv`).catch(
                        setDownloadError,
                      )
                    }
                  >
                    CSV
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      ) : null}

      <ReviewPanel user={user} agents={agentRows} month={to.slice(0, 7)} />
    </div>
  );
}

/** An agent's review inputs (002): measured parts, labelled as inputs, never a verdict. */
function ReviewPanel(props: { user: SessionUser; agents: AgentReport['rows']; month: string }) {
  const { t } = useI18n();
  const [picked, setPicked] = useState<number | null>(null);
  const agentId = props.user.role === 'agent' ? props.user.id : picked;
  const review = useApiData<Review>(
    agentId ? `/reports/review/${agentId}${query({ month: props.month })}` : null,
  );
  const r = review.data;
  return (
    <Panel title={t('reports.review', { month: props.month })} testId="report-review">
      {props.user.role !== 'agent' ? (
        <select
          value={picked ?? ''}
          onChange={(e) => setPicked(e.target.value ? Number(e.target.value) : null)}
          data-testid="review-agent"
        >
          <option value="">{t('reports.pickAgent')}</option>
          {props.agents.map((a) => (
            <option key={a.agentId} value={a.agentId}>
              {a.name}
            </option>
          ))}
        </select>
      ) : null}
      <ErrorMessage error={review.error} />
      {r ? (
        <>
          <p className="review-note" data-testid="review-note">
            {t('reports.reviewNote')}
          </p>
          <table className="report-table">
            <tbody>
              {r.weeklyQa.map((w) => (
                <tr key={w.week}>
                  <td>
                    {t('reports.weeklyQa')} {w.week}
                  </td>
                  <td>{num(w.averageScore)}</td>
                  <td>
                    {w.evaluations} / {w.criticalFails}
                  </td>
                </tr>
              ))}
              <tr>
                <td>{t('reports.monthlyQa')}</td>
                <td>{num(r.monthlyQa.averageScore)}</td>
                <td>
                  {r.monthlyQa.evaluations} / {r.monthlyQa.criticalFails}
                </td>
              </tr>
              <tr>
                <td>{t('reports.handled')}</td>
                <td>{r.calls.handled}</td>
                <td>AHT {dur(r.calls.ahtMs)}</td>
              </tr>
              <tr>
                <td>{t('reports.satisfaction')}</td>
                <td>{num(r.satisfaction.average)}</td>
                <td>{pct(r.satisfaction.responseRatePct)}</td>
              </tr>
              <tr>
                <td>{t('reports.followUps')}</td>
                <td>{pct(r.followUps.followUpRatePct)}</td>
                <td>
                  {r.followUps.followedUpInTime} / {r.followUps.due}
                </td>
              </tr>
            </tbody>
          </table>
        </>
      ) : null}
    </Panel>
  );
}
