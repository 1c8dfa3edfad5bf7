import type { PopCustomer } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';

/** Several customers share the caller's number: the agent says which one is calling. */
export function CandidatePicker(props: {
  candidates: PopCustomer[];
  onPick: (c: PopCustomer) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="candidates" data-testid="candidate-picker">
      <h2>{t('pop.severalCustomers', { count: props.candidates.length })}</h2>
      <ul>
        {props.candidates.map((c) => (
          <li key={c.id}>
            <button type="button" className="candidate" onClick={() => props.onPick(c)}>
              <strong>{c.name}</strong>
              {c.tier === 'vip' ? <span className="badge vip">{t('tier.vip')}</span> : null}
              <span className="muted">{c.company ?? ''}</span>
              <span className="muted">
                {c.owner ? `${t('customer.owner')}: ${c.owner.name}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
