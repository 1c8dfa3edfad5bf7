import type { WallAgent, WallCall } from '../../../src/api/wall';
import { duration } from '../common/format';
import { Panel } from '../common/Panel';
import { useI18n } from '../i18n/I18nProvider';

/** Every agent with a phone: state and time in it, the call they are on, today's calls and talk. */
export function WallAgentsTable(props: { agents: WallAgent[]; calls: WallCall[]; now: number }) {
  const { t, label } = useI18n();
  const byId = new Map(props.calls.map((c) => [c.callId, c]));
  return (
    <Panel
      title={`${t('wall.agents')} · ${props.agents.length}`}
      testId="wall-agents"
      className="wall-panel"
    >
      {props.agents.length === 0 ? <p className="empty">{t('wall.noAgents')}</p> : null}
      {props.agents.length ? (
        <table className="table compact wall-table">
          <thead>
            <tr>
              <th>{t('wall.agent')}</th>
              <th>{t('wall.extension')}</th>
              <th>{t('wall.state')}</th>
              <th className="num">{t('wall.timeInState')}</th>
              <th>{t('wall.currentCall')}</th>
              <th className="num">{t('wall.callsToday')}</th>
              <th className="num">{t('wall.talkToday')}</th>
            </tr>
          </thead>
          <tbody>
            {props.agents.map((a) => {
              const call = a.callId ? byId.get(a.callId) : undefined;
              // Ended calls' talk, and the running call's so far.
              const live =
                call?.answeredAt && a.state === 'on-call'
                  ? props.now - Date.parse(call.answeredAt)
                  : 0;
              return (
                <tr
                  key={a.userId}
                  data-testid="wall-agent"
                  data-agent-id={a.userId}
                  data-state={a.state}
                >
                  <td className="nowrap">
                    <span
                      className={`conn-dot-inline ${a.connected ? 'up' : 'down'}`}
                      title={t(a.connected ? 'wall.connected' : 'wall.notConnected')}
                    />
                    {a.name}
                  </td>
                  <td>{a.extension ?? '—'}</td>
                  <td className="nowrap">
                    <span className={`wall-state-chip wall-state-${a.state}`}>
                      {label('wallState', a.state)}
                      {a.reason ? ` · ${label('breakReason', a.reason)}` : ''}
                    </span>
                  </td>
                  <td className="num">{duration(props.now - Date.parse(a.since))}</td>
                  <td className="nowrap">
                    {call ? (
                      <>
                        {call.customer?.name ?? call.callerNumber}
                        <span className="muted small"> · {call.queue}</span>
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="num">{a.callsToday}</td>
                  <td className="num">{duration(a.talkMsToday + live)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
