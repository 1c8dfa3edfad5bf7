import type { Customer as ApiCustomer } from '../api/customers';
import type { Db } from '../db';
import { containsPattern, num } from '../db';
import type { Clock } from '../shared/clock';
import { isoOf } from '../shared/clock';

export type Tier = 'vip' | 'standard';

export interface CustomerPhone {
  e164: string;
  raw: string;
}

export type Customer = ApiCustomer;

export interface NewCustomer {
  name: string;
  company?: string | null;
  tier?: Tier;
  ownerUserId?: number | null;
  notes?: string | null;
  phones: CustomerPhone[];
}

interface CustomerRow {
  id: number;
  name: string;
  company: string | null;
  tier: string;
  owner_user_id: number | null;
  notes: string | null;
  created_at: number | string;
  updated_at: number | string;
}

export function createCustomersRepo(db: Db, clock: Clock) {
  async function hydrate(rows: CustomerRow[]): Promise<Customer[]> {
    if (!rows.length) return [];
    const phones = await db('customer_phones')
      .whereIn(
        'customer_id',
        rows.map((r) => r.id),
      )
      .orderBy('id')
      .select<Array<{ customer_id: number; e164: string; raw: string }>>(
        'customer_id',
        'e164',
        'raw',
      );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      company: r.company,
      tier: r.tier === 'vip' ? 'vip' : 'standard',
      ownerUserId: r.owner_user_id,
      notes: r.notes,
      phones: phones
        .filter((p) => p.customer_id === r.id)
        .map((p) => ({ e164: p.e164, raw: p.raw })),
      createdAt: isoOf(num(r.created_at)) ?? '',
      updatedAt: isoOf(num(r.updated_at)) ?? '',
    }));
  }

  return {
    async create(c: NewCustomer): Promise<Customer> {
      const now = clock.now();
      const id = await db.transaction(async (trx) => {
        const [row] = await trx('customers')
          .insert({
            name: c.name,
            company: c.company ?? null,
            tier: c.tier ?? 'standard',
            owner_user_id: c.ownerUserId ?? null,
            notes: c.notes ?? null,
            created_at: now,
            updated_at: now,
          })
          .returning<Array<{ id: number }>>('id');
        const customerId = row!.id;
        const unique = [...new Map(c.phones.map((p) => [p.e164, p])).values()];
        if (unique.length) {
          await trx('customer_phones').insert(
            unique.map((p) => ({ customer_id: customerId, e164: p.e164, raw: p.raw })),
          );
        }
        return customerId;
      });
      return (await this.get(id))!;
    },

    /** Changes the given fields; `phones`, when given, replaces the customer's numbers. */
    async update(
      id: number,
      c: Partial<Omit<NewCustomer, 'phones'>> & { phones?: CustomerPhone[] },
    ): Promise<Customer | null> {
      const found = await db('customers').where({ id }).first<{ id: number } | undefined>('id');
      if (!found) return null;
      await db.transaction(async (trx) => {
        const fields: Record<string, unknown> = { updated_at: clock.now() };
        if (c.name !== undefined) fields.name = c.name;
        if (c.company !== undefined) fields.company = c.company;
        if (c.tier !== undefined) fields.tier = c.tier;
        if (c.ownerUserId !== undefined) fields.owner_user_id = c.ownerUserId;
        if (c.notes !== undefined) fields.notes = c.notes;
        await trx('customers').where({ id }).update(fields);
        if (c.phones) {
          await trx('customer_phones').where({ customer_id: id }).delete();
          const unique = [...new Map(c.phones.map((p) => [p.e164, p])).values()];
          if (unique.length) {
            await trx('customer_phones').insert(
              unique.map((p) => ({ customer_id: id, e164: p.e164, raw: p.raw })),
            );
          }
        }
      });
      return this.get(id);
    },

    async get(id: number): Promise<Customer | null> {
      const rows = await db<CustomerRow>('customers').where({ id });
      return (await hydrate(rows))[0] ?? null;
    },

    /** These customers (any order), with their numbers: the caller directory's pages. */
    async getMany(ids: number[]): Promise<Customer[]> {
      if (!ids.length) return [];
      return hydrate(await db<CustomerRow>('customers').whereIn('id', ids).orderBy('id'));
    },

    /** Every customer that has this number (E.164), oldest first: one number may be shared. */
    async findByE164(e164: string): Promise<Customer[]> {
      const rows = await db<CustomerRow>('customers')
        .whereIn('id', db('customer_phones').where({ e164 }).select('customer_id'))
        .orderBy('id');
      return hydrate(rows);
    },

    async search(q: { name?: string; limit: number; offset: number }): Promise<Customer[]> {
      const query = db<CustomerRow>('customers').orderBy('id').limit(q.limit).offset(q.offset);
      if (q.name)
        query.whereRaw("lower(name) like ? escape '\\'", [containsPattern(q.name.toLowerCase())]);
      return hydrate(await query);
    },
  };
}

export type CustomersRepo = ReturnType<typeof createCustomersRepo>;
