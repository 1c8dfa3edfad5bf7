import { useState, type FormEvent } from 'react';
import { useSession } from '../auth/SessionProvider';
import type { CustomerInput } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { splitList } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';
import { useOwnerOptions } from './useOwnerOptions';
import { useAction } from '../common/useAction';

export interface CustomerFormValues {
  name: string;
  company: string;
  tier: 'vip' | 'standard';
  phones: string;
  ownerUserId: string;
  notes: string;
}

export const emptyCustomer: CustomerFormValues = {
  name: '',
  company: '',
  tier: 'standard',
  phones: '',
  ownerUserId: '',
  notes: '',
};

/** Create or edit a customer: name, company, tier, numbers, account owner, notes. */
export function CustomerForm(props: {
  initial: CustomerFormValues;
  submitLabel: string;
  onSubmit: (input: CustomerInput) => Promise<void>;
  onCancel?: () => void;
  compact?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  const owners = useOwnerOptions();
  const { user } = useSession();
  // Tier and owner decide routing: the API takes them from supervisors and admins only.
  const manages = user?.role === 'supervisor' || user?.role === 'admin';
  const [v, setV] = useState(props.initial);
  const { busy, error, run } = useAction();
  const set = <K extends keyof CustomerFormValues>(k: K, value: CustomerFormValues[K]) =>
    setV((prev) => ({ ...prev, [k]: value }));
  const ownerId = v.ownerUserId ? Number(v.ownerUserId) : null;
  const ownerKnown = ownerId === null || owners.some((o) => o.id === ownerId);

  function submit(e: FormEvent) {
    e.preventDefault();
    run(() =>
      props.onSubmit({
        name: v.name.trim(),
        company: v.company.trim() || null,
        tier: v.tier,
        phones: splitList(v.phones),
        ownerUserId: ownerId,
        notes: v.notes.trim() || null,
      }),
    );
  }

  return (
    <form
      className={`form-grid${props.compact ? ' compact' : ''}`}
      onSubmit={submit}
      data-testid={props.testId}
    >
      <label className="field">
        <span>{t('customer.name')} *</span>
        <input
          data-testid="customer-form-name"
          required
          value={v.name}
          onChange={(e) => set('name', e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('customer.company')}</span>
        <input
          data-testid="customer-form-company"
          value={v.company}
          onChange={(e) => set('company', e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('customer.phones')} *</span>
        <input
          data-testid="customer-form-phones"
          required
          value={v.phones}
          placeholder={t('customer.phonesHint')}
          onChange={(e) => set('phones', e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('customer.tier')}</span>
        <select
          value={v.tier}
          disabled={!manages}
          onChange={(e) => set('tier', e.target.value as 'vip' | 'standard')}
        >
          <option value="standard">{t('tier.standard')}</option>
          <option value="vip">{t('tier.vip')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('customer.owner')}</span>
        <select
          value={v.ownerUserId}
          disabled={!manages}
          onChange={(e) => set('ownerUserId', e.target.value)}
        >
          <option value="">{t('common.none')}</option>
          {owners.map((o) => (
            <option key={o.id} value={String(o.id)}>
              {o.name}
            </option>
          ))}
          {!ownerKnown ? <option value={v.ownerUserId}>#{v.ownerUserId}</option> : null}
        </select>
      </label>
      <label className="field span-2">
        <span>{t('customer.notes')}</span>
        <textarea
          rows={props.compact ? 2 : 4}
          value={v.notes}
          onChange={(e) => set('notes', e.target.value)}
        />
      </label>
      <ErrorMessage error={error} />
      <div className="form-actions span-2">
        {props.onCancel ? (
          <button type="button" className="btn" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
        <button
          type="submit"
          className="btn primary"
          disabled={busy}
          data-testid="customer-form-submit"
        >
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}
