import { useState, type FormEvent } from 'react';
import { get, query } from '../api/client';
import type { Customer, CustomerReveal, Role } from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import { RevealButton } from '../privacy/RevealButton';
import { useAction } from '../common/useAction';

/** Roles that may reveal a masked number (POST /api/customers/:id/reveal). */
const REVEALERS: Role[] = ['qa', 'supervisor', 'admin'];

/** Looks like a phone number rather than a name. */
const isNumber = (s: string) => /^[+\d][\d\s()-]{2,}$/.test(s);

/** Search by name or by any form of a phone number; the list of matches. */
export function CustomerSearch(props: {
  selectedId: number | null;
  onSelect: (c: Customer) => void;
}) {
  const { t } = useI18n();
  const { user } = useSession();
  const mayReveal = user !== null && REVEALERS.includes(user.role);
  const [text, setText] = useState('');
  const [results, setResults] = useState<Customer[] | null>(null);
  /** A revealed customer's numbers replace the masked ones in the list (and the form). */
  const reveal = (r: CustomerReveal) =>
    setResults(
      (list) =>
        list?.map((c) =>
          c.id === r.customerId ? { ...c, phones: r.phones, numbersMasked: undefined } : c,
        ) ?? null,
    );
  const { busy, error, run } = useAction();

  function search(e: FormEvent) {
    e.preventDefault();
    const q = text.trim();
    run(() =>
      get<{ customers: Customer[] }>(
        `/customers${query(isNumber(q) ? { phone: q } : { q, limit: 100 })}`,
      ).then((r) => setResults(r.customers)),
    );
  }

  return (
    <div className="customer-search">
      <form className="search-bar" onSubmit={search}>
        <input
          data-testid="customer-search-input"
          type="search"
          value={text}
          placeholder={t('customers.searchHint')}
          onChange={(e) => setText(e.target.value)}
        />
        <button
          type="submit"
          className="btn primary"
          disabled={busy}
          data-testid="customer-search-submit"
        >
          {t('customers.search')}
        </button>
      </form>
      <ErrorMessage error={error} />
      {results && results.length === 0 ? <p className="empty">{t('customers.noResults')}</p> : null}
      {results && results.length ? (
        <table className="table selectable" data-testid="customer-results">
          <thead>
            <tr>
              <th>{t('customer.name')}</th>
              <th>{t('customer.company')}</th>
              <th>{t('customer.phones')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((c) => (
              <tr
                key={c.id}
                className={props.selectedId === c.id ? 'selected' : ''}
                onClick={() => props.onSelect(c)}
                data-testid="customer-row"
              >
                <td>
                  {c.name}{' '}
                  {c.tier === 'vip' ? <span className="badge vip">{t('tier.vip')}</span> : null}
                </td>
                <td>{c.company ?? '—'}</td>
                <td className="muted">
                  {c.phones.map((p) => p.raw || p.e164).join(', ')}{' '}
                  {c.numbersMasked && mayReveal ? (
                    <RevealButton<CustomerReveal>
                      path={`/customers/${c.id}/reveal`}
                      onRevealed={(r) => {
                        reveal(r);
                        if (props.selectedId === c.id)
                          props.onSelect({ ...c, phones: r.phones, numbersMasked: undefined });
                      }}
                      testId={`reveal-customer-${c.id}`}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
