import type { Customer, PopCustomer } from '../api/types';
import type { CustomerFormValues } from './CustomerForm';

export function customerToValues(c: Customer): CustomerFormValues {
  return {
    name: c.name,
    company: c.company ?? '',
    tier: c.tier,
    phones: c.phones.map((p) => p.raw || p.e164).join(', '),
    ownerUserId: c.ownerUserId ? String(c.ownerUserId) : '',
    notes: c.notes ?? '',
  };
}

/** A full customer as the pop card holds it (the owner's name when we know it). */
export function toPopCustomer(c: Customer, ownerName?: string | null): PopCustomer {
  return {
    id: c.id,
    name: c.name,
    company: c.company,
    tier: c.tier,
    owner: c.ownerUserId ? { id: c.ownerUserId, name: ownerName ?? `#${c.ownerUserId}` } : null,
  };
}
