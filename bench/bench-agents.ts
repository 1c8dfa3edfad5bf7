import type { ServiceFixture } from '../test/support/service-fixture';
import { registerPhone, startPhone } from '../test/support/sipp-peers';

/**
 * N bench agents on extensions 2001…: each phone registers with the same contact port, where one
 * SIPp phone answers them all (after 100 ms); each agent logged in with a socket.io "browser".
 */
export async function benchAgents(fx: ServiceFixture, n: number, prefix: string, port: number) {
  const agents: Array<
    Awaited<ReturnType<ServiceFixture['agent']>> & {
      browser: Awaited<ReturnType<ServiceFixture['browser']>>;
    }
  > = [];
  for (let i = 0; i < n; i += 1) {
    const ext = String(2001 + i);
    await registerPhone({ ext, contactPort: port });
    const a = await fx.agent(`${prefix}${ext}`, ext);
    agents.push({ ...a, browser: await fx.browser(a.token) });
  }
  const phone = await startPhone({ ext: 'bench', port, mode: 'answer', ringMs: 100 });
  return { agents, phone };
}
