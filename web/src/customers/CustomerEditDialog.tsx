import { put } from '../api/client';
import type { Customer } from '../api/types';
import { Modal } from '../common/Modal';
import { useI18n } from '../i18n/I18nProvider';
import { CustomerForm } from './CustomerForm';
import { customerToValues } from './customer-values';

/** Edit a customer over the current page (from the pop card). */
export function CustomerEditDialog(props: {
  customer: Customer;
  onClose: () => void;
  onSaved: (c: Customer) => void;
}) {
  const { t } = useI18n();
  return (
    <Modal
      title={t('customers.editTitle', { name: props.customer.name })}
      onClose={props.onClose}
      wide
    >
      <CustomerForm
        initial={customerToValues(props.customer)}
        submitLabel={t('common.save')}
        onCancel={props.onClose}
        onSubmit={async (input) => {
          props.onSaved(await put<Customer>(`/customers/${props.customer.id}`, input));
        }}
      />
    </Modal>
  );
}
