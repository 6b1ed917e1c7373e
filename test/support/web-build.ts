// Vitest global setup for the projects that need the built pages: builds them when they are missing
// (`npm test` and `npm start` build them first anyway).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export default function setup(): void {
  if (existsSync(path.join(root, 'web/dist/case.html'))) return;
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--configLoader', 'native'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
