import { CALL_STATES, outcomeOf, transition, type CallEvent } from '../../../src/calls/call-state';

describe('call state machine', () => {
  it('follows the happy path of an answered call', () => {
    const path: CallEvent[] = ['caller-answered', 'offered', 'agent-answered', 'caller-hangup'];
    let s = 'new' as (typeof CALL_STATES)[number];
    const seen: string[] = [s];
    for (const e of path) {
      const next = transition(s, e);
      expect(next).not.toBeNull();
      s = next!;
      seen.push(s);
    }
    expect(seen).toEqual(['new', 'queued', 'ringing', 'talking', 'ended']);
  });

  it('puts a missed offer back in the queue', () => {
    expect(transition('ringing', 'agent-missed')).toBe('queued');
  });

  it('refuses transitions that make no sense', () => {
    expect(transition('queued', 'agent-answered')).toBeNull();
    expect(transition('talking', 'offered')).toBeNull();
    expect(transition('new', 'offered')).toBeNull();
    for (const e of ['caller-hangup', 'agent-hangup', 'offered', 'failed'] as CallEvent[]) {
      expect(transition('ended', e)).toBeNull();
    }
  });

  it('lets the caller hang up from every live state', () => {
    for (const s of CALL_STATES.filter((x) => x !== 'ended')) {
      expect(transition(s, 'caller-hangup')).toBe('ended');
    }
  });

  it('only a talking call can end by the agent hanging up', () => {
    expect(transition('talking', 'agent-hangup')).toBe('ended');
    expect(transition('ringing', 'agent-hangup')).toBeNull();
  });

  it('derives the outcome from where the call was', () => {
    expect(outcomeOf('talking', 'caller-hangup')).toBe('answered');
    expect(outcomeOf('talking', 'agent-hangup')).toBe('answered');
    expect(outcomeOf('queued', 'caller-hangup')).toBe('abandoned');
    expect(outcomeOf('ringing', 'caller-hangup')).toBe('abandoned');
    expect(outcomeOf('announcing', 'announced')).toBe('no-agent');
    expect(outcomeOf('new', 'failed')).toBe('failed');
  });

  it('walks an attended transfer: consult, then complete or cancel', () => {
    expect(transition('talking', 'consult')).toBe('consulting');
    expect(transition('held', 'consult')).toBe('consulting');
    expect(transition('consulting', 'consult-complete')).toBe('talking');
    expect(transition('consulting', 'consult-cancel')).toBe('talking');
    expect(transition('consulting', 'agent-hangup')).toBe('ended');
    // No second transfer, hold or blind transfer in the middle of one.
    expect(transition('consulting', 'consult')).toBeNull();
    expect(transition('consulting', 'hold')).toBeNull();
    expect(transition('consulting', 'transferred')).toBeNull();
    expect(transition('queued', 'consult')).toBeNull();
  });

  it('walks a blind transfer out: answered by the number, or back to the queue', () => {
    expect(transition('talking', 'transfer-out')).toBe('transferring');
    expect(transition('transferring', 'consult-complete')).toBe('talking');
    expect(transition('transferring', 'consult-failed')).toBe('queued');
    expect(transition('transferring', 'agent-hangup')).toBeNull();
  });

  it('a call answered once stays answered whatever happens after a transfer', () => {
    expect(outcomeOf('consulting', 'caller-hangup')).toBe('answered');
    expect(outcomeOf('transferring', 'caller-hangup')).toBe('answered');
    expect(outcomeOf('queued', 'caller-hangup', true)).toBe('answered');
    expect(outcomeOf('queued', 'caller-hangup', false)).toBe('abandoned');
  });
});

describe('satisfaction survey stage', () => {
  it('starts when the agent hangs up first, from talking or held only', () => {
    expect(transition('talking', 'survey')).toBe('surveying');
    expect(transition('held', 'survey')).toBe('surveying');
    for (const s of CALL_STATES.filter((x) => x !== 'talking' && x !== 'held'))
      expect(transition(s, 'survey')).toBeNull();
  });

  it('ends with the survey, or when the caller hangs up during it; nothing else moves it', () => {
    expect(transition('surveying', 'survey-done')).toBe('ended');
    expect(transition('surveying', 'caller-hangup')).toBe('ended');
    expect(transition('surveying', 'failed')).toBe('ended');
    for (const e of [
      'agent-hangup',
      'hold',
      'resume',
      'offered',
      'consult',
      'transferred',
      'survey',
    ] as CallEvent[])
      expect(transition('surveying', e)).toBeNull();
    for (const s of CALL_STATES.filter((x) => x !== 'surveying'))
      expect(transition(s, 'survey-done')).toBeNull();
  });

  it('keeps the outcome answered (the survey follows an answered call)', () => {
    expect(outcomeOf('surveying', 'survey-done', true)).toBe('answered');
    expect(outcomeOf('surveying', 'caller-hangup', true)).toBe('answered');
    expect(outcomeOf('surveying', 'caller-hangup')).toBe('answered');
  });
});
