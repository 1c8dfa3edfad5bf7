import { useNow } from '../common/useNow';
import { useSession } from '../auth/SessionProvider';
import { useI18n } from '../i18n/I18nProvider';
import { LiveCallsTable } from './LiveCallsTable';
import { QueueTile } from './QueueTile';
import { useWall } from './useWall';
import { WallAgentsTable } from './WallAgentsTable';

/**
 * The supervisor wall: a tile per queue, the live calls, the agents. Pushed by the service
 * (wall:snapshot, then wall:delta); the clocks count up here, once a second.
 */
export function LivePage() {
  const { t } = useI18n();
  const { user } = useSession();
  const { wall, live } = useWall();
  const now = useNow(1000);
  if (!wall)
    return (
      <p className="empty" data-testid="wall-connecting">
        {t('wall.connecting')}
      </p>
    );
  return (
    <div className="wall" data-testid="wall" data-seq={wall.seq} data-live={live ? 'yes' : 'no'}>
      {!live ? (
        <div className="wall-stale" role="status">
          {t('wall.stale')}
        </div>
      ) : null}
      {user?.role === 'qa' ? <p className="muted small wall-note">{t('wall.readOnly')}</p> : null}
      <div className="wall-tiles" data-testid="wall-tiles">
        {wall.queues.length === 0 ? <p className="empty">{t('wall.noQueues')}</p> : null}
        {wall.queues.map((q) => (
          <QueueTile key={q.name} queue={q} now={now} />
        ))}
      </div>
      <div className="wall-tables">
        <LiveCallsTable calls={wall.calls} now={now} role={user?.role ?? 'qa'} />
        <WallAgentsTable agents={wall.agents} calls={wall.calls} now={now} />
      </div>
    </div>
  );
}
