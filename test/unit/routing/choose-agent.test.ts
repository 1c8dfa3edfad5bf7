import { anyoneLoggedIn, chooseAgent, type Candidate } from '../../../src/routing/choose-agent';

const agent = (userId: number, idleSince: number, over: Partial<Candidate> = {}): Candidate => ({
  userId,
  idleSince,
  state: 'available',
  activity: 'idle',
  extension: String(1000 + userId),
  ...over,
});

describe('chooseAgent', () => {
  it('picks the longest-idle free agent', () => {
    expect(chooseAgent([agent(1, 300), agent(2, 100), agent(3, 200)])?.userId).toBe(2);
  });

  it('breaks ties by the lower id, so the choice is deterministic', () => {
    expect(chooseAgent([agent(5, 100), agent(4, 100)])?.userId).toBe(4);
  });

  it('prefers the account owner when the owner is free', () => {
    expect(chooseAgent([agent(1, 100), agent(2, 900)], { ownerUserId: 2 })?.userId).toBe(2);
  });

  it('falls back to longest-idle when the owner is busy, on break or without a phone', () => {
    for (const over of [
      { activity: 'on-call' as const },
      { state: 'break' as const },
      { extension: null },
    ]) {
      expect(
        chooseAgent([agent(1, 500), agent(2, 100, over), agent(3, 300)], { ownerUserId: 2 })
          ?.userId,
      ).toBe(3);
    }
  });

  it('never offers a call to an agent who is offered another, on a call, on break or offline', () => {
    const busy = [
      agent(1, 1, { activity: 'offered' }),
      agent(2, 1, { activity: 'on-call' }),
      agent(3, 1, { state: 'break' }),
      agent(4, 1, { state: 'offline' }),
    ];
    expect(chooseAgent(busy)).toBeNull();
  });

  it('skips excluded agents', () => {
    expect(chooseAgent([agent(1, 100), agent(2, 200)], { exclude: new Set([1]) })?.userId).toBe(2);
  });

  it('knows whether anyone is logged in at all', () => {
    expect(anyoneLoggedIn([agent(1, 1, { state: 'offline' })])).toBe(false);
    expect(anyoneLoggedIn([agent(1, 1, { state: 'break' })])).toBe(true);
    expect(anyoneLoggedIn([agent(1, 1, { extension: null })])).toBe(false);
  });
});
