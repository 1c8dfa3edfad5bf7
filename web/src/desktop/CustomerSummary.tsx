import type { Customer, PopCustomer } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';

/** Who is calling: name, VIP, company, account owner, numbers; the card's main actions. */
export function CustomerSummary(props: {
  customer: PopCustomer;
  details: Customer | null;
  onComplaint: () => void;
  onEdit: () => void;
}) {
  const { t } = useI18n();
  const c = props.customer;
  return (
    <div className="customer-summary">
      <div className="customer-id">
        <div className="customer-title">
          <h2 data-testid="customer-name">{c.name}</h2>
          {c.tier === 'vip' ? (
            <span className="badge vip" data-testid="vip-badge">
              {t('tier.vip')}
            </span>
          ) : null}
        </div>
        <dl className="facts">
          <div>
            <dt>{t('customer.company')}</dt>
            <dd data-testid="customer-company">{c.company || '—'}</dd>
          </div>
          <div>
            <dt>{t('customer.owner')}</dt>
            <dd data-testid="customer-owner">{c.owner?.name ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('customer.tier')}</dt>
            <dd>{t(c.tier === 'vip' ? 'tier.vip' : 'tier.standard')}</dd>
          </div>
          <div>
            <dt>{t('customer.phones')}</dt>
            <dd>{props.details?.phones.map((p) => p.raw || p.e164).join(', ') || '—'}</dd>
          </div>
        </dl>
      </div>
      <div className="customer-actions">
        <button
          type="button"
          className="btn warn"
          data-testid="complaint-button"
          onClick={props.onComplaint}
        >
          {t('pop.complaint')}
        </button>
        <button
          type="button"
          className="btn"
          data-testid="edit-customer-button"
          onClick={props.onEdit}
        >
          {t('pop.editCustomer')}
        </button>
      </div>
    </div>
  );
}
