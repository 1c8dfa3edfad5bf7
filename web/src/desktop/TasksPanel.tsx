import { useMemo, useState } from 'react';
import type { Task } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { dateTime } from '../common/format';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useNow } from '../common/useNow';
import { useI18n } from '../i18n/I18nProvider';
import { useLive } from '../live/LiveProvider';
import { TaskCompleteForm } from './TaskCompleteForm';

/** My open call-back tasks, soonest first; overdue ones in red; new ones arrive live. */
export function TasksPanel() {
  const { t, label, locale } = useI18n();
  const { pushedTasks } = useLive();
  const { data, error, reload } = useApiData<{ tasks: Task[] }>('/tasks?mine=1&status=open');
  const [completing, setCompleting] = useState<number | null>(null);
  const [done, setDone] = useState<Set<number>>(new Set());
  const now = useNow(30_000);

  const tasks = useMemo(() => {
    const byId = new Map<number, Task>();
    for (const task of [...(data?.tasks ?? []), ...pushedTasks]) byId.set(task.id, task);
    return [...byId.values()]
      .filter((task) => task.status === 'open' && !done.has(task.id))
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  }, [data, pushedTasks, done]);
  const overdueCount = tasks.filter((task) => Date.parse(task.dueAt) < now).length;

  return (
    <Panel
      title={t('tasks.title')}
      testId="tasks-panel"
      actions={
        <>
          {overdueCount ? (
            <span className="badge danger">{t('tasks.overdueCount', { count: overdueCount })}</span>
          ) : null}
          <span className="badge">{tasks.length}</span>
          <button type="button" className="icon-btn" title={t('common.refresh')} onClick={reload}>
            ↻
          </button>
        </>
      }
    >
      <ErrorMessage error={error} />
      {tasks.length === 0 && !error ? <p className="empty">{t('tasks.none')}</p> : null}
      <ul className="task-list">
        {tasks.map((task) => {
          const overdue = task.overdue || Date.parse(task.dueAt) < now;
          return (
            <li
              key={task.id}
              className={overdue ? 'is-overdue' : ''}
              data-testid="task"
              data-overdue={overdue}
            >
              <div className="task-line">
                <span className="task-kind">{label('taskKind', task.kind)}</span>
                <strong>{task.customerName ?? t('tasks.noCustomer')}</strong>
                <span className="muted">{task.phone ?? ''}</span>
              </div>
              <div className="task-line">
                <span className={overdue ? 'overdue-text' : 'muted'}>
                  {overdue
                    ? t('tasks.overdueSince', { time: dateTime(task.dueAt, locale) })
                    : t('tasks.due', { time: dateTime(task.dueAt, locale) })}
                </span>
                {completing !== task.id ? (
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => setCompleting(task.id)}
                  >
                    {t('tasks.complete')}
                  </button>
                ) : null}
              </div>
              {task.note ? <div className="task-note">{task.note}</div> : null}
              {completing === task.id ? (
                <TaskCompleteForm
                  task={task}
                  onCancel={() => setCompleting(null)}
                  onDone={() => {
                    setCompleting(null);
                    setDone((s) => new Set(s).add(task.id));
                  }}
                />
              ) : null}
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}
