import { execFileSync } from 'node:child_process';

/** End-to-end tests drive dist/: build it once before any test runs, so it is never stale. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
