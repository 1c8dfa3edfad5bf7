/**
 * The bench agents' browsers in a process of their own (bench-agents.ts starts it), as real
 * browsers are elsewhere: their socket.io decoding and acknowledgements do not run on the
 * service's event loop, whose latency the benches measure. Each pop is acknowledged on receipt
 * and reported to the parent with its receive time (`preciseNow`, the same clock there).
 */
import { io as connect, type Socket } from 'socket.io-client';
import { preciseNow } from '../src/calls/call-stages';

const url = process.argv[2]!;
const sockets: Socket[] = [];
const send = (m: unknown) => process.send?.(m);

process.on('message', (m: { kind: 'connect'; tokens: string[] } | { kind: 'close' }) => {
  if (m.kind === 'close') {
    for (const s of sockets) s.disconnect();
    process.exit(0);
  }
  let connected = 0;
  m.tokens.forEach((token, index) => {
    const socket = connect(url, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(socket);
    socket.on('screenpop', (pop: { callId: string; callerNumber: string }, ack?: () => void) => {
      const at = preciseNow();
      ack?.();
      send({ kind: 'pop', index, at, callId: pop.callId, callerNumber: pop.callerNumber });
    });
    // A supervisor's browser: the wall's deltas counted (the parent prints how many came).
    socket.on('wall:delta', () => send({ kind: 'wall', index }));
    socket.once('connect', () => {
      connected += 1;
      if (connected === m.tokens.length) send({ kind: 'connected' });
    });
    socket.once('connect_error', (err) => send({ kind: 'error', message: String(err) }));
  });
});
// The bench process gone (however it ended): so are its browsers.
process.on('disconnect', () => process.exit(0));
