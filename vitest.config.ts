import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    // Ink colours follow FORCE_COLOR: pinned so component frames are the same on every machine.
    env: { FORCE_COLOR: '1' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real-process tests on a 2-core machine: keep parallelism modest so timing stays sane.
    maxWorkers: 2,
  },
});
