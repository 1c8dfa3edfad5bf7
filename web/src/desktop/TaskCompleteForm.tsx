import { useState, type FormEvent } from 'react';
import { post } from '../api/client';
import type { Task, TaskResult } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import { useAction } from '../common/useAction';

const RESULTS: TaskResult[] = ['reached', 'no-answer', 'resolved', 'other'];

/** Close a call-back task with its result. */
export function TaskCompleteForm(props: {
  task: Task;
  onDone: (t: Task) => void;
  onCancel: () => void;
}) {
  const { t, label } = useI18n();
  const [result, setResult] = useState<TaskResult>('reached');
  const [notes, setNotes] = useState('');
  const { busy, error, run } = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    run(() =>
      post<Task>(`/tasks/${props.task.id}/complete`, {
        result,
        notes: notes.trim() || undefined,
      }).then((done) => props.onDone(done)),
    );
  }

  return (
    <form className="task-complete" onSubmit={submit} data-testid="task-complete-form">
      <select
        value={result}
        onChange={(e) => setResult(e.target.value as TaskResult)}
        aria-label={t('tasks.result')}
      >
        {RESULTS.map((r) => (
          <option key={r} value={r}>
            {label('taskResult', r)}
          </option>
        ))}
      </select>
      <input
        value={notes}
        placeholder={t('tasks.notes')}
        onChange={(e) => setNotes(e.target.value)}
      />
      <button type="submit" className="btn primary small" disabled={busy}>
        {t('tasks.done')}
      </button>
      <button type="button" className="btn small" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
