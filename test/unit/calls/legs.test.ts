import { decodeLeg, encodeLeg, LEG_KINDS, legOfChannel, type Leg } from '../../../src/calls/legs';
import { channel } from '../../support/fake-ari';

describe('the leg codec', () => {
  it('round-trips every leg kind through the Stasis arguments', () => {
    for (const kind of Object.keys(LEG_KINDS) as Array<keyof typeof LEG_KINDS>) {
      const leg = (
        kind === 'inbound' ? { kind, did: '4000' } : { kind, callId: 'c0ffee-1' }
      ) as Leg;
      const args = encodeLeg(leg);
      expect(args.split(',')[0]).toBe(kind);
      expect(decodeLeg(args.split(','))).toEqual(leg);
    }
  });

  it('classifies nothing it did not write', () => {
    expect(decodeLeg([])).toBeNull();
    expect(decodeLeg(['snoopy', 'x'])).toBeNull();
    expect(decodeLeg(['toString', 'x'])).toBeNull(); // not a prototype key
    expect(decodeLeg(['agent'])).toBeNull(); // a call leg needs its call id
    expect(decodeLeg(['inbound'])).toEqual({ kind: 'inbound', did: '' }); // the s extension
  });

  it('refuses an id that would change the arguments', () => {
    expect(() => encodeLeg({ kind: 'agent', callId: 'a,b' })).toThrow(/commas/);
  });

  it('reads the leg of a channel found in the app from its dialplan', () => {
    expect(legOfChannel(channel('c1'))).toEqual({ kind: 'inbound', did: '4000' });
    const other = channel('c2', {
      dialplan: {
        context: 'x',
        exten: 's',
        priority: 1,
        app_name: 'Dial',
        app_data: 'PJSIP/1001',
      },
    });
    expect(legOfChannel(other)).toBeNull();
  });
});
