import { useState, type FormEvent } from 'react';
import { query } from '../api/client';
import type { AccessAction, AccessAuditEntry, User } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { dateTime, localInputToIso } from '../common/format';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';

const ACTIONS: AccessAction[] = ['view', 'search', 'export', 'reveal'];
const PAGE = 50;

interface Filters {
  userId: string;
  action: string;
  customerId: string;
  from: string;
  to: string;
}
const noFilters: Filters = { userId: '', action: '', customerId: '', from: '', to: '' };

/** Admin: the customer access audit (GET /api/audit/customer-access), newest first, filtered. */
export function AccessAuditPage() {
  const { t, label, locale } = useI18n();
  const users = useApiData<{ users: User[] }>('/users');
  const [form, setForm] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<Filters>(noFilters);
  const [offset, setOffset] = useState(0);
  const customerId = /^\d+$/.test(applied.customerId.trim()) ? applied.customerId.trim() : null;
  const { data, error } = useApiData<{ entries: AccessAuditEntry[] }>(
    `/audit/customer-access${query({
      userId: applied.userId || null,
      action: applied.action || null,
      customerId,
      from: localInputToIso(applied.from),
      to: localInputToIso(applied.to),
      limit: PAGE,
      offset: offset || null,
    })}`,
  );
  const entries = data?.entries ?? [];
  const set = (k: keyof Filters, v: string) => setForm((f) => ({ ...f, [k]: v }));
  function apply(e: FormEvent) {
    e.preventDefault();
    setOffset(0);
    setApplied(form);
  }

  return (
    <Panel title={t('audit.title')} testId="access-audit-page">
      <p className="muted small">{t('audit.hint')}</p>
      <form className="search-bar audit-filters" onSubmit={apply}>
        <select
          value={form.userId}
          aria-label={t('audit.user')}
          data-testid="audit-user"
          onChange={(e) => set('userId', e.target.value)}
        >
          <option value="">{t('audit.anyUser')}</option>
          {(users.data?.users ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.username})
            </option>
          ))}
        </select>
        <select
          value={form.action}
          aria-label={t('audit.action')}
          data-testid="audit-action"
          onChange={(e) => set('action', e.target.value)}
        >
          <option value="">{t('audit.anyAction')}</option>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {label('accessAction', a)}
            </option>
          ))}
        </select>
        <input
          value={form.customerId}
          inputMode="numeric"
          placeholder={t('audit.customerId')}
          aria-label={t('audit.customerId')}
          data-testid="audit-customer"
          onChange={(e) => set('customerId', e.target.value)}
        />
        <label className="inline-fields">
          {t('audit.from')}
          <input
            type="datetime-local"
            value={form.from}
            onChange={(e) => set('from', e.target.value)}
          />
        </label>
        <label className="inline-fields">
          {t('audit.to')}
          <input
            type="datetime-local"
            value={form.to}
            onChange={(e) => set('to', e.target.value)}
          />
        </label>
        <button type="submit" className="btn primary" data-testid="audit-apply">
          {t('audit.apply')}
        </button>
      </form>
      <ErrorMessage error={error ?? users.error} />
      {data && entries.length === 0 ? <p className="empty">{t('audit.empty')}</p> : null}
      {entries.length ? (
        <table className="table" data-testid="audit-entries">
          <thead>
            <tr>
              <th>{t('audit.at')}</th>
              <th>{t('audit.user')}</th>
              <th>{t('audit.role')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.customer')}</th>
              <th>{t('audit.call')}</th>
              <th>{t('audit.request')}</th>
              <th>{t('audit.detail')}</th>
              <th className="num">{t('audit.count')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-entry">
                <td className="nowrap">{dateTime(e.at, locale)}</td>
                <td>{e.userName ?? (e.userId ? `#${e.userId}` : '—')}</td>
                <td>{label('role', e.role)}</td>
                <td>{label('accessAction', e.action)}</td>
                <td>{e.customerId ? `#${e.customerId}` : '—'}</td>
                <td className="mono">{e.callId ?? '—'}</td>
                <td className="mono">{e.path}</td>
                <td>{e.detail ?? ''}</td>
                <td className="num">{e.count ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {offset > 0 || entries.length === PAGE ? (
        <div className="inline-fields">
          <button
            type="button"
            className="btn small"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE))}
          >
            {t('audit.newer')}
          </button>
          <span>{t('audit.page', { from: offset + 1, to: offset + entries.length })}</span>
          <button
            type="button"
            className="btn small"
            disabled={entries.length < PAGE}
            onClick={() => setOffset(offset + PAGE)}
          >
            {t('audit.older')}
          </button>
        </div>
      ) : null}
    </Panel>
  );
}
