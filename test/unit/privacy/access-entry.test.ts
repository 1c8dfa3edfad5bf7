import { findRoute } from '../../../src/api/routes';
import { accessEntry, type AnsweredRequest } from '../../../src/privacy/access-entry';
import type { SeenRecord } from '../../../src/privacy/mask-response';
import type { Viewer } from '../../../src/privacy/number-policy';

const viewer = (role: Viewer['role'], userId = 3): Viewer => ({
  userId,
  role,
  liveCallId: null,
  liveCustomerIds: new Set(),
  liveNumbers: new Set(),
  supplied: new Set(),
});
const contact = (own: boolean): SeenRecord => ({
  kind: 'contact',
  id: 1,
  customerId: null,
  own,
  masked: false,
});
const req = (over: Partial<AnsweredRequest>): AnsweredRequest => ({
  route: findRoute('get', '/api/campaigns/{id}/contacts')!,
  method: 'GET',
  path: '/api/campaigns/5/contacts',
  query: { status: 'new' },
  body: undefined,
  answer: {},
  records: [contact(false), contact(false)],
  viewer: viewer('supervisor'),
  at: 1000,
  ...over,
});

describe('the customer access audit entry of an answer', () => {
  it('writes a manager’s export of a campaign’s contacts with its count', () => {
    expect(accessEntry(req({}))).toEqual({
      at: 1000,
      userId: 3,
      role: 'supervisor',
      action: 'export',
      path: 'GET /api/campaigns/5/contacts',
      callId: null,
      customerId: null,
      detail: 'status=new',
      count: 2,
    });
  });

  it('writes nothing for agents, for routes the table does not mark, or for one’s own records', () => {
    expect(accessEntry(req({ viewer: viewer('agent') }))).toBeNull();
    expect(accessEntry(req({ route: findRoute('get', '/api/tasks')! }))).toBeNull();
    expect(accessEntry(req({ records: [contact(true)] }))).toBeNull();
    // A search that found nothing is still a search.
    expect(accessEntry(req({ records: [] }))).toMatchObject({ action: 'export', count: 0 });
  });

  it('masks every number in the query and the path', () => {
    const e = accessEntry(
      req({
        route: findRoute('get', '/api/customers')!,
        path: '/api/customers',
        query: { phone: '+8613812348000', q: 'Li 13812348000' },
      }),
    );
    expect(e?.detail).toBe('phone=+86 138****8000&q=Li 138****8000');
  });
});
