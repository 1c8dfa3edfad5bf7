import { createInFlightLimit } from '../../../src/ari/in-flight';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('ARI requests in flight', () => {
  it('runs at most max at once and the urgent waiters first', async () => {
    const limit = createInFlightLimit(2);
    const order: string[] = [];
    const gates = [deferred(), deferred()];
    const job = (name: string, gate?: Promise<void>) => async () => {
      order.push(name);
      await gate;
    };
    const a = limit.run(job('a', gates[0]!.promise));
    const b = limit.run(job('b', gates[1]!.promise));
    const c = limit.run(job('c'));
    const d = limit.run(job('d'), true);
    await Promise.resolve();
    expect(order).toEqual(['a', 'b']);
    expect(limit.waiting).toBe(2);
    gates[0]!.resolve();
    await a;
    await new Promise((r) => setImmediate(r));
    expect(order.slice(2)).toEqual(['d', 'c']); // the urgent one took the freed slot
    gates[1]!.resolve();
    await Promise.all([b, c, d]);
    expect(limit.active).toBe(0);
    expect(limit.waiting).toBe(0);
  });

  it('frees the slot when the work fails', async () => {
    const limit = createInFlightLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(limit.run(() => Promise.resolve(7))).resolves.toBe(7);
    expect(limit.active).toBe(0);
  });
});
