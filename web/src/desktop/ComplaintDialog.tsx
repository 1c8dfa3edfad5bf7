import { useState, type FormEvent } from 'react';
import { post } from '../api/client';
import type { Complaint, PopCustomer } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { localInputToIso } from '../common/format';
import { Modal } from '../common/Modal';
import { useLookup } from '../common/useLookup';
import { useI18n } from '../i18n/I18nProvider';
import { useAction } from '../common/useAction';

const SEVERITIES = ['low', 'medium', 'high'] as const;

/** A complaint about this call: category, severity, description, promised reply time. */
export function ComplaintDialog(props: {
  customer: PopCustomer;
  callId: string | null;
  onClose: () => void;
  onCreated: (c: Complaint) => void;
}) {
  const { t, label } = useI18n();
  const { items: categories, error: listError } = useLookup('complaint-categories');
  const [category, setCategory] = useState('');
  const [severity, setSeverity] = useState<(typeof SEVERITIES)[number]>('medium');
  const [description, setDescription] = useState('');
  const [promised, setPromised] = useState('');
  const { busy, error, run } = useAction();
  const chosen = category || categories[0]?.code || '';

  function submit(e: FormEvent) {
    e.preventDefault();
    run(() => {
      const promisedReplyAt = localInputToIso(promised);
      return post<Complaint>('/complaints', {
        customerId: props.customer.id,
        ...(props.callId ? { callId: props.callId } : {}),
        category: chosen,
        severity,
        description: description.trim(),
        ...(promisedReplyAt ? { promisedReplyAt } : {}),
      }).then((c) => props.onCreated(c));
    });
  }

  return (
    <Modal
      title={t('complaint.title', { name: props.customer.name })}
      onClose={props.onClose}
      testId="complaint-form"
    >
      <form className="form-grid" onSubmit={submit}>
        <label className="field">
          <span>{t('complaint.category')}</span>
          <select
            data-testid="complaint-category"
            value={chosen}
            onChange={(e) => setCategory(e.target.value)}
          >
            {categories.map((c) => (
              <option key={c.code} value={c.code}>
                {label('category', c.code, c.label)}
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <span>{t('complaint.severity')}</span>
          <div className="segmented" role="radiogroup" aria-label={t('complaint.severity')}>
            {SEVERITIES.map((s) => (
              <button
                key={s}
                type="button"
                role="radio"
                aria-checked={severity === s}
                className={`${severity === s ? 'active' : ''} sev-btn-${s}`}
                data-testid={`complaint-severity-${s}`}
                onClick={() => setSeverity(s)}
              >
                {label('severity', s)}
              </button>
            ))}
          </div>
        </div>
        <label className="field span-2">
          <span>{t('complaint.description')} *</span>
          <textarea
            data-testid="complaint-description"
            required
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('complaint.promisedReply')}</span>
          <input
            type="datetime-local"
            data-testid="complaint-promised"
            value={promised}
            onChange={(e) => setPromised(e.target.value)}
          />
        </label>
        <p className="muted small span-2">{t('complaint.followUpHint')}</p>
        <ErrorMessage error={listError ?? error} testId="complaint-error" />
        <div className="form-actions span-2">
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="btn primary"
            disabled={busy || !chosen || !description.trim()}
            data-testid="complaint-submit"
          >
            {t('complaint.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
