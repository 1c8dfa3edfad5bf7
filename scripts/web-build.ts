import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const WEB = path.join(ROOT, 'web');
const BUILT = path.join(WEB, 'dist/index.html');

/** Newest modification time of the web app's sources (web/ without dist/). */
function newestSource(dir = WEB): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** Builds web/dist (npm run build:web) when it is missing or older than web/'s sources (and
 * src/api/, whose shapes and the wall's delta function the web app bundles). */
export function ensureWebBuilt(): void {
  const builtAt = fs.existsSync(BUILT) ? fs.statSync(BUILT).mtimeMs : 0;
  if (builtAt >= Math.max(newestSource(), newestSource(path.join(ROOT, 'src/api')))) return;
  execFileSync('npm', ['run', '--silent', 'build:web'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 300_000,
  });
}
