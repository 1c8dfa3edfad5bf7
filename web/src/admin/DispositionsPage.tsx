import { useEffect, useState } from 'react';
import { put } from '../api/client';
import type { CodeLabel } from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { ErrorMessage } from '../common/ErrorMessage';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { invalidateLookup } from '../common/useLookup';
import { useI18n } from '../i18n/I18nProvider';
import { useAction } from '../common/useAction';

/** Admin: the dispositions agents choose from at wrap-up (code + label), replaced as a whole. */
export function DispositionsPage() {
  const { t } = useI18n();
  const { user: me } = useSession();
  const readOnly = me?.role !== 'admin';
  const { data, error } = useApiData<{ dispositions: CodeLabel[] }>('/dispositions');
  const [rows, setRows] = useState<CodeLabel[]>([]);
  const { busy, error: saveError, run } = useAction();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (data) setRows(data.dispositions);
  }, [data]);

  const edit = (i: number, field: keyof CodeLabel, value: string) => {
    setSaved(false);
    setRows((list) => list.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
  };

  function save() {
    run(() => {
      const dispositions = rows
        .map((r) => ({ code: r.code.trim(), label: r.label.trim() }))
        .filter((r) => r.code && r.label);
      return put<{ dispositions?: CodeLabel[] }>('/dispositions', { dispositions }).then((r) => {
        invalidateLookup('dispositions');
        setRows(r?.dispositions ?? dispositions);
        setSaved(true);
      });
    });
  }

  return (
    <div className="narrow-page">
      <Panel title={t('dispositions.title')} testId="dispositions-page">
        {readOnly ? <p className="muted small">{t('admin.readOnly')}</p> : null}
        <ErrorMessage error={error} />
        <table className="table">
          <thead>
            <tr>
              <th>{t('dispositions.code')}</th>
              <th>{t('dispositions.label')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <input
                    value={r.code}
                    disabled={readOnly}
                    onChange={(e) => edit(i, 'code', e.target.value)}
                  />
                </td>
                <td>
                  <input
                    value={r.label}
                    disabled={readOnly}
                    onChange={(e) => edit(i, 'label', e.target.value)}
                  />
                </td>
                <td className="num">
                  {!readOnly ? (
                    <button
                      type="button"
                      className="icon-btn"
                      aria-label={t('common.remove')}
                      onClick={() => setRows((list) => list.filter((_, j) => j !== i))}
                    >
                      ×
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ErrorMessage error={saveError} />
        {saved ? (
          <div className="notice" role="status">
            {t('dispositions.saved')}
          </div>
        ) : null}
        {!readOnly ? (
          <div className="form-actions">
            <button
              type="button"
              className="btn"
              onClick={() => setRows((list) => [...list, { code: '', label: '' }])}
            >
              + {t('dispositions.add')}
            </button>
            <button type="button" className="btn primary" disabled={busy} onClick={save}>
              {t('common.save')}
            </button>
          </div>
        ) : null}
      </Panel>
    </div>
  );
}
