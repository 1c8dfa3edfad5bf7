import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import type { ImportJob, ImportRowError } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import type { MsgKey } from '../i18n/en';
import { useI18n } from '../i18n/I18nProvider';
import { getImport } from './campaign-api';
import { ImportErrorsTable } from './ImportErrorsTable';
import { usePolling } from './usePolling';

const COUNTS: Array<{ key: 'rows' | 'accepted' | 'rejected' | 'duplicates' | 'dnc'; msg: MsgKey }> =
  [
    { key: 'rows', msg: 'import.rows' },
    { key: 'accepted', msg: 'import.accepted' },
    { key: 'rejected', msg: 'import.rejected' },
    { key: 'duplicates', msg: 'import.duplicates' },
    { key: 'dnc', msg: 'import.dnc' },
  ];

/** An import's progress (polled every second while it runs), its counts and rejected rows. */
export function ImportProgress(props: { importId: number; onFinished?: () => void }) {
  const { t, label } = useI18n();
  const { importId, onFinished } = props;
  const [job, setJob] = useState<ImportJob | null>(null);
  /** Rejected rows beyond the first page (`?offset=`), loaded on demand. */
  const [more, setMore] = useState<ImportRowError[]>([]);
  const [exhausted, setExhausted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const running = job === null || job.status === 'running';

  const poll = useCallback(() => {
    getImport(importId)
      .then((j) => {
        setJob(j);
        setError(null);
      })
      .catch((e: unknown) => setError(e));
  }, [importId]);
  useEffect(poll, [poll]);
  // A 4xx (unknown import, no right) will not get better; network or server trouble may.
  const fatal = error instanceof ApiError && error.status >= 400 && error.status < 500;
  usePolling(poll, 1000, running && !fatal);

  const finished = job !== null && job.status !== 'running';
  useEffect(() => {
    if (finished) onFinished?.();
  }, [finished, onFinished]);

  const errors = [...(job?.errors ?? []), ...more];
  const flagged = job ? job.rejected + job.duplicates + job.dnc : 0;
  function loadMore() {
    getImport(importId, errors.length)
      .then((j) => {
        if (j.errors.length === 0) setExhausted(true);
        setMore((list) => [...list, ...j.errors]);
      })
      .catch((e: unknown) => setError(e));
  }

  return (
    <div
      className="import-progress"
      data-testid="import-progress"
      data-import-id={importId}
      data-status={job?.status ?? 'running'}
    >
      <p>
        <span className={`state-chip import-${job?.status ?? 'running'}`}>
          {label('importStatus', job?.status ?? 'running')}
        </span>{' '}
        {running ? <span className="muted">{t('import.running')}</span> : null}
      </p>
      <ErrorMessage error={error} testId="import-poll-error" />
      {job ? (
        <dl className="stat-grid">
          {COUNTS.map(({ key, msg }) => (
            <div key={key} className="stat" data-testid={`import-${key}`} data-value={job[key]}>
              <dt>{t(msg)}</dt>
              <dd>{job[key]}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {errors.length ? <ImportErrorsTable errors={errors} /> : null}
      {finished && !exhausted && errors.length > 0 && errors.length < flagged ? (
        <button type="button" className="btn small" data-testid="import-more" onClick={loadMore}>
          {t('import.more')}
        </button>
      ) : null}
    </div>
  );
}
