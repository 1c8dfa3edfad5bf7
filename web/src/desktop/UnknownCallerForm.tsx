import { post } from '../api/client';
import type { Customer } from '../api/types';
import { CustomerForm, emptyCustomer } from '../customers/CustomerForm';
import { useI18n } from '../i18n/I18nProvider';

/** An unknown caller: create the customer in one click, the number already filled in. */
export function UnknownCallerForm(props: {
  callerNumber: string;
  onCreated: (c: Customer) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="unknown-caller" data-testid="unknown-caller">
      <div className="customer-title">
        <h2 data-testid="customer-name">{t('pop.unknownCaller')}</h2>
        <span className="badge muted-badge">{t('pop.newCustomer')}</span>
      </div>
      <CustomerForm
        compact
        testId="new-customer-form"
        initial={{ ...emptyCustomer, phones: props.callerNumber }}
        submitLabel={t('pop.createCustomer')}
        onSubmit={async (input) => {
          props.onCreated(await post<Customer>('/customers', input));
        }}
      />
    </div>
  );
}
