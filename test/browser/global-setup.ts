import startSandbox from '../integration/global-setup';
import { ensureWebBuilt } from '../../scripts/web-build';

/** The browser tests need the Asterisk sandbox and a current build of the web app. */
export default function globalSetup(): void {
  startSandbox();
  ensureWebBuilt();
}
