/**
 * No full phone number in the logs: an inbound call through the engine (a failed ring, the next
 * agent, answer, hang-up) logged at trace level, a failed database write whose message carries
 * the query's values, and number fields logged by mistake.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/shared/logger';
import { engineFixture, waitFor } from '../../support/engine-fixture';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, log: createLogger('trace', sink) };
}

/** Every spelling of the caller's number a log line could hold. */
const FULL = /13812348000|138 1234 8000|138-1234-8000/;

it('logs an inbound call without the caller’s number', async () => {
  const { lines, log } = capture();
  const fx = await engineFixture({ log });
  try {
    const ann = await fx.agent('ann', '1001');
    await fx.agent('bob', '1002');
    fx.agents.get(ann.id)!.idleSince = 1;
    await fx.customers.create({
      name: 'Log Lu',
      phones: [{ e164: '+8613812348000', raw: '13812348000' }],
    });
    fx.ari.failNext('originate', new Error("Allocation failed for '+8613812348000'"));
    fx.ari.inbound('caller-log', '013812348000');
    const ring = await waitFor(
      () =>
        fx.ari
          .ops('originate')
          .map((r) => r.args[0] as { channelId: string; endpoint: string })
          .find((o) => o.endpoint === 'PJSIP/1002'),
      3000,
      'the second agent rung',
    );
    const callId = fx.callIdOf(ring.channelId)!;
    fx.ari.agentAnswers(ring.channelId, callId);
    await new Promise((r) => setTimeout(r, 50));
    fx.ari.hangupFromFar('caller-log');
    await fx.ended(callId);
  } finally {
    await fx.close();
  }
  expect(lines.length).toBeGreaterThan(5);
  // The call is in the log, told apart by its masked number.
  expect(lines.join('\n')).toContain('138****8000');
  expect(lines.filter((l) => FULL.test(l))).toEqual([]);
});

it('masks numbers in errors, messages and number fields logged by mistake', () => {
  const { lines, log } = capture();
  const err = new Error(
    "insert into `calls` (`caller_number`) values ('+8613812348000') - SQLITE_BUSY",
  );
  log.error({ err, callId: '1732000000.42' }, 'call record write failed');
  log.child({ callerNumber: '+8613812348000' }).info({ phone: '13812348000' }, 'looked up');
  log.warn('dialing 138 1234 8000 failed');
  log.info({ contact: { phone: '+8613812348000', name: 'Lu' }, password: 'pw' }, 'x');
  expect(lines).toHaveLength(4);
  expect(lines.filter((l) => FULL.test(l))).toEqual([]);
  type Line = { err?: { message?: string }; [key: string]: unknown };
  const [first, second, third, fourth] = lines.map((l) => JSON.parse(l) as Line);
  expect(first!.err?.message).toContain("('+86 138****8000')");
  expect(first!.callId).toBe('1732000000.42');
  expect(second).toMatchObject({ callerNumber: '+86 138****8000', phone: '138****8000' });
  expect(third!.msg).toBe('dialing 138****8000 failed');
  expect(fourth).toMatchObject({
    contact: { phone: '+86 138****8000', name: 'Lu' },
    password: '[redacted]',
  });
});
