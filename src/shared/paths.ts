import fs from 'node:fs';
import path from 'node:path';

/** The folder holding package.json, whether running from src/ (tsx) or dist/src/ (build). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}
