import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The integration tests run against the real Asterisk sandbox: make sure it is up. */
export default function globalSetup(): void {
  const script = path.resolve(__dirname, '../../scripts/pbx.sh');
  execFileSync('bash', [script, 'start'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 300_000,
  });
}
