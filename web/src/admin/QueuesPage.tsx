import { useState } from 'react';
import { put } from '../api/client';
import type { Queue, User } from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { ErrorMessage } from '../common/ErrorMessage';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { QueueForm, type QueueChanges } from './QueueForm';

/** Admin: queues with their timers, skills, members and opening hours. */
export function QueuesPage() {
  const { t } = useI18n();
  const { user: me } = useSession();
  const readOnly = me?.role !== 'admin';
  const queues = useApiData<{ queues: Queue[] }>('/queues');
  const users = useApiData<{ users: User[] }>('/users');
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const list = queues.data?.queues ?? [];
  const current = list.find((q) => q.name === editing) ?? null;

  async function save(name: string, changes: QueueChanges) {
    await put(`/queues/${encodeURIComponent(name)}`, changes);
    setSaved(t('queues.saved', { name }));
    setEditing(null);
    queues.reload();
  }

  return (
    <div className="two-col wide-left">
      <Panel title={t('queues.title')} testId="queues-page">
        {readOnly ? <p className="muted small">{t('admin.readOnly')}</p> : null}
        <ErrorMessage error={queues.error} />
        {saved ? (
          <div className="notice" role="status">
            {saved}
          </div>
        ) : null}
        <table className="table selectable">
          <thead>
            <tr>
              <th>{t('queues.name')}</th>
              <th className="num">{t('queues.ringTimeoutShort')}</th>
              <th className="num">{t('queues.serviceLevelShort')}</th>
              <th>{t('queues.skills')}</th>
              <th className="num">{t('queues.members')}</th>
              <th>{t('queues.hours')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((q) => (
              <tr
                key={q.name}
                className={editing === q.name ? 'selected' : ''}
                onClick={() => {
                  setSaved(null);
                  setEditing(q.name);
                }}
              >
                <td>
                  <strong>{q.name}</strong>{' '}
                  {q.openNow !== undefined ? (
                    <span
                      className={`state-chip ${q.openNow ? 'state-available' : 'state-closed'}`}
                    >
                      {t(q.openNow ? 'queues.openNow' : 'queues.closedNow')}
                    </span>
                  ) : null}
                  {q.dids?.length ? <div className="muted small">{q.dids.join(', ')}</div> : null}
                </td>
                <td className="num">{q.ringTimeoutSec ?? '—'}</td>
                <td className="num">{q.serviceLevelSec ?? '—'}</td>
                <td className="muted">{(q.skills ?? []).join(', ') || '—'}</td>
                <td className="num">{q.members?.length ?? '—'}</td>
                <td className="muted small">
                  {(q.hours ?? []).join('; ') || t('queues.always')}
                  {q.timezone ? ` (${q.timezone})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title={current ? t('queues.editTitle', { name: current.name }) : t('queues.details')}>
        <ErrorMessage error={users.error} />
        {current ? (
          <QueueForm
            key={current.name}
            queue={current}
            users={users.data?.users ?? []}
            readOnly={readOnly}
            onSubmit={(changes) => save(current.name, changes)}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <p className="empty">{t('queues.pick')}</p>
        )}
      </Panel>
    </div>
  );
}
