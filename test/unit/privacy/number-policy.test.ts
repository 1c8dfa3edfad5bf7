import { NUMBER_FIELDS } from '../../../src/api/number-fields';
import { isOwnRecord, numberPolicy, type Viewer } from '../../../src/privacy/number-policy';

const row = (
  table: ReturnType<typeof numberPolicy>,
  role: 'agent' | 'qa' | 'supervisor' | 'admin',
) => NUMBER_FIELDS.map((f) => `${f}: ${table[role][f]}`);

describe('the number policy table (role × field)', () => {
  const byDefault = numberPolicy(['supervisor', 'admin']);

  it('agents: their own records whole, the rest masked', () => {
    expect(row(byDefault, 'agent')).toEqual([
      'customer.phones: own',
      'call.numbers: own',
      'task.phone: own',
      'contact.phone: own',
      'pop.numbers: own',
      'dnc.phone: masked',
      'import.row: masked',
      'search.echo: full',
      'reveal: masked',
    ]);
  });

  it('QA: masked everywhere but its own input and a reveal', () => {
    expect(row(byDefault, 'qa')).toEqual([
      'customer.phones: masked',
      'call.numbers: masked',
      'task.phone: masked',
      'contact.phone: masked',
      'pop.numbers: masked',
      'dnc.phone: masked',
      'import.row: masked',
      'search.echo: full',
      'reveal: full',
    ]);
  });

  it('supervisors and admins (privacy.fullNumberRoles by default): full, a pop its recipient’s', () => {
    for (const role of ['supervisor', 'admin'] as const)
      expect(row(byDefault, role)).toEqual([
        'customer.phones: full',
        'call.numbers: full',
        'task.phone: full',
        'contact.phone: full',
        'pop.numbers: own',
        'dnc.phone: full',
        'import.row: full',
        'search.echo: full',
        'reveal: full',
      ]);
  });

  it('supervisors on demand (fullNumberRoles: ["admin"]): their own whole, the rest masked', () => {
    const onDemand = numberPolicy(['admin']);
    expect(row(onDemand, 'supervisor')).toEqual([
      'customer.phones: own',
      'call.numbers: own',
      'task.phone: own',
      'contact.phone: own',
      'pop.numbers: own',
      'dnc.phone: masked',
      'import.row: masked',
      'search.echo: full',
      'reveal: full',
    ]);
    expect(onDemand.admin['call.numbers']).toBe('full');
  });

  it('never widens QA or agents, whatever the configuration says', () => {
    const wide = numberPolicy(['qa', 'agent', 'supervisor', 'admin']);
    expect(wide.qa).toEqual(byDefault.qa);
    expect(wide.agent).toEqual(byDefault.agent);
  });
});

describe('own records', () => {
  const viewer: Viewer = {
    userId: 7,
    role: 'agent',
    liveCallId: 'live-1',
    liveCustomerIds: new Set([40]),
    liveNumbers: new Set(['+8613800000001']),
    supplied: new Set(),
  };
  it.each([
    ['call', { id: 'c1', agentId: 7 }, true],
    ['call', { id: 'live-1', agentId: null }, true],
    ['call', { id: 'c2', agentId: 8 }, false],
    ['task', { assignedUserId: 7 }, true],
    ['task', { assignedUserId: 8 }, false],
    ['contact', { assignedUserId: null, callbackUserId: 7 }, true],
    ['contact', { assignedUserId: 8, callbackUserId: null }, false],
    ['customer', { id: 1, ownerUserId: 7, phones: [] }, true],
    ['customer', { id: 40, ownerUserId: null, phones: [] }, true],
    ['customer', { id: 41, ownerUserId: null, phones: [{ e164: '+8613800000001' }] }, true],
    ['customer', { id: 42, ownerUserId: 8, phones: [{ e164: '+8613800000002' }] }, false],
  ] as const)('%s %j → %s', (kind, record, own) => {
    expect(isOwnRecord(kind, record, viewer)).toBe(own);
  });
});
