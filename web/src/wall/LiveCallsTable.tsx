import { useState } from 'react';
import type { MonitorView } from '../../../src/api/monitoring';
import type { WallCall } from '../../../src/api/wall';
import { duration } from '../common/format';
import { Panel } from '../common/Panel';
import { useI18n } from '../i18n/I18nProvider';
import { MonitorButtons } from './MonitorButtons';

/** Every live call: who, where, with whom, its state, and its clocks counting up. */
export function LiveCallsTable({
  calls,
  now,
  role,
}: {
  calls: WallCall[];
  now: number;
  role: string;
}) {
  const { t, label } = useI18n();
  // The user's own monitoring session (one at a time); gone with its call.
  const [mine, setMine] = useState<MonitorView | null>(null);
  const monitoring = mine && calls.some((c) => c.callId === mine.callId) ? mine : null;
  return (
    <Panel
      title={`${t('wall.calls')} · ${calls.length}`}
      testId="wall-calls"
      className="wall-panel"
    >
      {calls.length === 0 ? <p className="empty">{t('wall.noCalls')}</p> : null}
      {calls.length ? (
        <table className="table compact wall-table">
          <thead>
            <tr>
              <th>{t('wall.caller')}</th>
              <th>{t('wall.customer')}</th>
              <th>{t('wall.queue')}</th>
              <th>{t('wall.agent')}</th>
              <th>{t('wall.state')}</th>
              <th className="num">{t('wall.duration')}</th>
              <th className="num">{t('wall.onHold')}</th>
              <th>{t('wall.recording')}</th>
              <th>{t('wall.monitored')}</th>
              <th>{t('monitor.title')}</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((c) => {
              // Waiting: the wait so far; connected: the talk since the answer.
              const from = c.waitingSince ?? c.answeredAt ?? c.startedAt;
              return (
                <tr
                  key={c.callId}
                  data-testid="wall-call"
                  data-call-id={c.callId}
                  data-state={c.state}
                >
                  <td className="nowrap" data-testid="wall-caller">
                    {c.callerNumber}
                    {c.direction === 'outbound' ? (
                      <span className="muted small"> · {t('wall.outbound')}</span>
                    ) : null}
                  </td>
                  <td>{c.customer?.name ?? <span className="muted">—</span>}</td>
                  <td className="nowrap">{c.queue ?? '—'}</td>
                  <td className="nowrap">{c.agent?.name ?? <span className="muted">—</span>}</td>
                  <td className="nowrap">
                    <span className={`call-state-chip engine-${c.state}`}>
                      {label('engineState', c.state)}
                    </span>
                  </td>
                  <td className="num">{duration(now - Date.parse(from))}</td>
                  <td className="num">
                    {c.heldSince ? (
                      <span className="wall-held">{duration(now - Date.parse(c.heldSince))}</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="nowrap">
                    {c.recording ? (
                      <span className={`rec-chip rec-${c.recording}`}>
                        {t(c.recording === 'on' ? 'wall.recOn' : 'wall.recPaused')}
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td data-testid="wall-monitored" data-monitored={c.monitored ? 'yes' : 'no'}>
                    {c.monitored ? '●' : <span className="muted">—</span>}
                  </td>
                  <td className="nowrap">
                    {!monitoring || monitoring.callId === c.callId ? (
                      <MonitorButtons
                        call={c}
                        role={role}
                        mine={monitoring?.callId === c.callId ? monitoring : null}
                        onChange={setMine}
                      />
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
