import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import { importContacts } from './campaign-api';
import { csvHeader } from './csv-header';
import { useAction } from '../common/useAction';

/**
 * A contact list from a CSV file: read in the browser, sent as `text/csv` with the column of
 * each field (phone required; first name and the agent to assign each row to optional).
 */
export function ImportForm(props: { campaignId: number; onStarted: (importId: number) => void }) {
  const { t } = useI18n();
  const listId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [phone, setPhone] = useState('');
  const [firstName, setFirstName] = useState('');
  const [assignTo, setAssignTo] = useState('');
  const { busy, error, setError, run } = useAction();

  function pick(f: File | null) {
    setFile(f);
    setText(null);
    setColumns([]);
    setError(null);
    if (!f) return;
    f.text()
      .then((content) => {
        setText(content);
        const header = csvHeader(content);
        setColumns(header);
        // Guess the obvious columns; the supervisor can change them.
        const find = (re: RegExp) => header.find((h) => re.test(h)) ?? '';
        setPhone((p) => p || find(/phone|mobile|tel|number|电话|手机|号码/i));
        setFirstName((n) => n || find(/first.?name|^name$|名/i));
      })
      .catch((e: unknown) => setError(e));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (text === null || !phone.trim()) return;
    run(() =>
      importContacts(
        props.campaignId,
        text,
        { phone: phone.trim(), ...(firstName.trim() ? { firstName: firstName.trim() } : {}) },
        assignTo.trim() || undefined,
      ).then((r) => props.onStarted(r.importId)),
    );
  }

  return (
    <form className="form-grid" onSubmit={submit} data-testid="import-form">
      <label className="field span-2">
        <span>{t('import.file')} *</span>
        <input
          type="file"
          accept=".csv,text/csv"
          required
          data-testid="import-file"
          onChange={(e) => pick(e.target.files?.[0] ?? null)}
        />
        {file ? (
          <small className="muted" data-testid="import-columns">
            {columns.length
              ? t('import.columnsFound', { columns: columns.join(', ') })
              : t('import.noHeader')}
          </small>
        ) : null}
      </label>
      <datalist id={listId}>
        {columns.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <label className="field">
        <span>{t('import.phoneColumn')} *</span>
        <input
          required
          list={listId}
          data-testid="import-phone-column"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('import.firstNameColumn')}</span>
        <input
          list={listId}
          data-testid="import-first-name-column"
          value={firstName}
          onChange={(e) => setFirstName(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('import.assignToColumn')}</span>
        <input
          list={listId}
          data-testid="import-assign-column"
          value={assignTo}
          onChange={(e) => setAssignTo(e.target.value)}
        />
        <small className="muted">{t('import.assignToHint')}</small>
      </label>
      <p className="muted small span-2">{t('import.customHint')}</p>
      <ErrorMessage error={error} testId="import-error" />
      <div className="form-actions span-2">
        <button
          type="submit"
          className="btn primary"
          disabled={busy || text === null || !phone.trim()}
          data-testid="import-submit"
        >
          {t('import.submit')}
        </button>
      </div>
    </form>
  );
}
