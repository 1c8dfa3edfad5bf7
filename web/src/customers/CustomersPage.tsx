import { useState } from 'react';
import { post, put } from '../api/client';
import type { Customer } from '../api/types';
import { Panel } from '../common/Panel';
import { useI18n } from '../i18n/I18nProvider';
import { CustomerForm, emptyCustomer } from './CustomerForm';
import { CustomerSearch } from './CustomerSearch';
import { customerToValues } from './customer-values';

type Editing = { kind: 'new' } | { kind: 'edit'; customer: Customer } | null;

/** Find a customer by name or number and edit them, or create a new one. */
export function CustomersPage() {
  const { t } = useI18n();
  const [editing, setEditing] = useState<Editing>(null);
  const [saved, setSaved] = useState<string | null>(null);

  return (
    <div className="two-col">
      <Panel
        title={t('customers.title')}
        actions={
          <button type="button" className="btn small" onClick={() => setEditing({ kind: 'new' })}>
            + {t('customers.new')}
          </button>
        }
      >
        <CustomerSearch
          selectedId={editing?.kind === 'edit' ? editing.customer.id : null}
          onSelect={(c) => {
            setSaved(null);
            setEditing({ kind: 'edit', customer: c });
          }}
        />
      </Panel>
      <Panel
        title={
          editing?.kind === 'edit'
            ? t('customers.editTitle', { name: editing.customer.name })
            : editing?.kind === 'new'
              ? t('customers.new')
              : t('customers.details')
        }
      >
        {saved ? (
          <div className="notice" role="status">
            {saved}
          </div>
        ) : null}
        {editing === null ? <p className="empty">{t('customers.pick')}</p> : null}
        {editing?.kind === 'edit' ? (
          <CustomerForm
            key={`edit-${editing.customer.id}-${editing.customer.updatedAt}`}
            testId="customer-edit-form"
            initial={customerToValues(editing.customer)}
            submitLabel={t('common.save')}
            onSubmit={async (input) => {
              const c = await put<Customer>(`/customers/${editing.customer.id}`, input);
              setEditing({ kind: 'edit', customer: c });
              setSaved(t('customers.saved', { name: c.name }));
            }}
          />
        ) : null}
        {editing?.kind === 'new' ? (
          <CustomerForm
            key="new"
            initial={emptyCustomer}
            submitLabel={t('customers.create')}
            onCancel={() => setEditing(null)}
            onSubmit={async (input) => {
              const c = await post<Customer>('/customers', input);
              setEditing({ kind: 'edit', customer: c });
              setSaved(t('customers.created', { name: c.name }));
            }}
          />
        ) : null}
      </Panel>
    </div>
  );
}
