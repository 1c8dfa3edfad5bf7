import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ServiceFixture } from '../test/support/service-fixture';
import { registerPhone, startPhone } from '../test/support/sipp-peers';

/** A pop as the bench's browser got it: what it was about and when it came. */
export interface BenchPop {
  pop: { callId: string; callerNumber: string };
  at: number;
}

/**
 * N bench agents on extensions 2001…: each phone registers with the same contact port, where one
 * SIPp phone answers them all (after 100 ms); each agent logged in with a socket.io "browser",
 * all of them in one child process (browsers-process.ts), so the service's event loop carries
 * only the service. Stopping the phone stops the browsers too.
 */
export async function benchAgents(
  fx: ServiceFixture,
  n: number,
  prefix: string,
  port: number,
  /** Supervisors with the wall open (their browsers in the same process): a floor is watched. */
  supervisors = 0,
) {
  const users: Array<Awaited<ReturnType<ServiceFixture['agent']>>> = [];
  for (let i = 0; i < n; i += 1) {
    const ext = String(2001 + i);
    await registerPhone({ ext, contactPort: port });
    users.push(await fx.agent(`${prefix}${ext}`, ext));
  }
  const watchers: string[] = [];
  for (let i = 0; i < supervisors; i += 1)
    watchers.push((await fx.agent(`${prefix}sup${i + 1}`, null, 'supervisor')).token);
  const agents = users.map((u) => ({ ...u, browser: { pops: [] as BenchPop[] } }));
  const wall = { deltas: 0 };
  type Message = { kind: string; index?: number; at?: number } & BenchPop['pop'];
  /** A process of browsers for these tokens, connected. */
  async function browsers(tokens: string[], onMessage: (m: Message) => void) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'browsers-process.ts'), fx.url],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('bench browsers did not connect')), 30_000);
      child.on('message', (m: Message) => {
        if (m.kind === 'connected') {
          clearTimeout(t);
          resolve();
        } else if (m.kind === 'error') reject(new Error(`bench browser: ${JSON.stringify(m)}`));
        else onMessage(m);
      });
      child.send({ kind: 'connect', tokens });
    });
    return child;
  }
  const children = [
    await browsers(
      users.map((u) => u.token),
      (m) => {
        if (m.kind === 'pop')
          agents[m.index!]!.browser.pops.push({
            pop: { callId: m.callId, callerNumber: m.callerNumber },
            at: m.at!,
          });
      },
    ),
  ];
  // The supervisors' browsers apart from the agents', as they are on a floor: decoding the
  // wall's deltas does not hold up the agents' acknowledgements.
  if (watchers.length)
    children.push(
      await browsers(watchers, (m) => {
        if (m.kind === 'wall') wall.deltas += 1;
      }),
    );
  const sipp = await startPhone({ ext: 'bench', port, mode: 'answer', ringMs: 100 });
  const phone = {
    ...sipp,
    async stop() {
      for (const child of children) child.send({ kind: 'close' });
      await sipp.stop();
    },
  };
  return { agents, phone, wall };
}
